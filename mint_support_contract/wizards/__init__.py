from . import support_billing_run
from . import support_tier_change
