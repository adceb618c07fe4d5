"""Partner billing: which CertCentral account pays for a partner account and a subaccount.

Every key is a secret: set them with `pulumi config set --secret`, never in plain text.

    digicert:partnerApiKey            the parent partner account's key (provider config)
    billingAccountApiKey              CertCentral API key of the account that pays
    subaccountPartnerApiKey           the subaccount's partner key
    subaccountBillingAccountApiKey    optional: another paying account for the subaccount
                                      (default: the same billing account as the parent)

The Partner Subscriptions API cannot read or remove a link: `pulumi destroy` only forgets it
(the accounts stay linked), and `pulumi refresh` cannot detect a link changed elsewhere.
State keeps salted fingerprints of the keys, never the keys.
"""

from __future__ import annotations

import pulumi

import pulumi_digicert as digicert

config = pulumi.Config()
billing_key = config.require_secret("billingAccountApiKey")
subaccount_billing_key = config.get_secret("subaccountBillingAccountApiKey") or billing_key

# The parent partner account: its key comes from the provider config (digicert:partnerApiKey).
parent = digicert.BillingAccountLink("parent-billing", billing_account_api_key=billing_key)

# A subaccount: its own partner key, set on the resource.
subaccount = digicert.BillingAccountLink(
    "subaccount-billing",
    billing_account_api_key=subaccount_billing_key,
    partner_api_key=config.require_secret("subaccountPartnerApiKey"),
)

pulumi.export("parent_linked", parent.linked)
pulumi.export("subaccount_linked", subaccount.linked)
