"""Sites: which of a set of practices' premises to keep, and what follows (travel, capacity, estate released).

- :mod:`~locality.sites.options`: what is asked (:class:`SiteOptions`, :class:`Capacity`);
- :mod:`~locality.sites.premises`: the sites (practice postcodes or an estates register) and their figures;
- :mod:`~locality.sites.problem`: :class:`SiteProblem` → :class:`SiteAppraisal`;
- :mod:`~locality.sites.pmedian`: the p-median solvers with a proven gap;
- :mod:`~locality.sites.appraisal`: weighted criteria and their sensitivity;
- :mod:`~locality.sites.labels`: how the figures are named and written;
- :mod:`~locality.sites.pipeline`: :func:`appraise_sites`, from the store to an appraisal.
"""

from locality.sites.options import Capacity, SiteOptions
from locality.sites.pipeline import appraise_sites
from locality.sites.problem import Infeasible, SiteAppraisal, SiteProblem

__all__ = ["Capacity", "Infeasible", "SiteAppraisal", "SiteOptions", "SiteProblem", "appraise_sites"]
