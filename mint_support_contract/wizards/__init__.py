from . import support_billing_run
