from . import test_support_tier
from . import test_partner_tier
from . import test_shop_invoice
from . import test_sla
from . import test_sla_portal
from . import test_support_billing
from . import test_security
from . import test_website
