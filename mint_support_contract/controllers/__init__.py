from . import helpdesk
from . import main
from . import portal
