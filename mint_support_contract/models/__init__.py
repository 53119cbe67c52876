from . import support_tier
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import contract_contract
from . import contract_line
from . import sale_order
