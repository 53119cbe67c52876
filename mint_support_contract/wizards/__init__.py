from . import support_tier_change
