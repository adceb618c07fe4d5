"""A failure's size counts what the provider writes, not where the checkout lives."""

from __future__ import annotations

from qa.messages import MAX_FRAMES, MESSAGE_LIMIT, frames, message_bytes

SENTENCE = (
    "pulumi_digicert._exceptions.ConfigError: digicert:baseUrl must use https:// so the key is "
    "not sent in clear (plain http:// is allowed only to a loopback address such as 127.0.0.1); "
    "the default is https://www.digicert.com/services/v2.\n"
)


def host_traceback(checkout: str) -> str:
    """The text the dynamic-provider host sends for a refused setting (format_exc of its
    wrapper), as it arrived from a real host in a checkout at ``checkout``."""
    sdk = f"{checkout}/.ci/venv/lib/python3.11/site-packages/pulumi/dynamic/__main__.py"
    boundary = f"{checkout}/provider/pulumi_digicert/resources/_provider.py"
    return (
        "Traceback (most recent call last):\n"
        f'  File "{sdk}", line 84, in wrapper\n'
        "    return fn(self, request, context)\n"
        "           ^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        f'  File "{sdk}", line 188, in Check\n'
        "    provider = get_provider(news, self._config)\n"
        "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        f'  File "{sdk}", line 75, in get_provider\n'
        "    provider.configure(req)\n"
        f'  File "{boundary}", line 137, in guarded\n'
        "    raise failure from None\n" + SENTENCE
    )


def test_the_size_is_the_same_in_a_short_and_a_300_character_checkout() -> None:
    short = host_traceback("/src/pulumi-digicert")
    deep = host_traceback("/tmp/" + "d" * 280 + "/pulumi-digicert")
    assert len(deep.encode()) > MESSAGE_LIMIT  # the whole text would break the promise there
    assert message_bytes(deep) == message_bytes(short) < MESSAGE_LIMIT
    # Only the directories go: the file names, lines and the sentence all count.
    assert message_bytes(short) == len(short.encode()) - 4 * len("/src/pulumi-digicert/") - 3 * len(
        ".ci/venv/lib/python3.11/site-packages/pulumi/dynamic/"
    ) - len("provider/pulumi_digicert/resources/")


def test_frames_are_counted_so_left_out_directories_cannot_hide_a_long_traceback() -> None:
    text = host_traceback("/src/pulumi-digicert")
    assert frames(text) == MAX_FRAMES
    longer = text.replace(
        "Traceback (most recent call last):\n",
        'Traceback (most recent call last):\n  File "/x/y.py", line 1, in f\n    f()\n',
    )
    assert frames(longer) == MAX_FRAMES + 1


def test_a_long_sentence_is_still_over_the_limit() -> None:
    text = host_traceback("/src/pulumi-digicert").replace(SENTENCE, "x" * MESSAGE_LIMIT + "\n")
    assert message_bytes(text) > MESSAGE_LIMIT
