from .application import (  # noqa: F401
    Application,
    ApplicationEvent,
    ApplicationMember,
    ApplicationSubmission,
    RegistrationTemplate,
)
from .certificate import Certificate, CertificateEvent  # noqa: F401
from .change import ChangeApplication, ChangeEvent, ChangeSubmission  # noqa: F401, E402
from .deregistration import Deregistration, DeregistrationEvent  # noqa: F401
from .division import BureauProfile, Division, DivisionLevel  # noqa: F401
from .id_number_search import IdNumberSearch  # noqa: F401
from .organization import (  # noqa: F401
    District,
    Industry,
    Organization,
    PartyBuildingBody,
    Street,
    SupervisoryUnit,
    default_party_building_body_id,
)
