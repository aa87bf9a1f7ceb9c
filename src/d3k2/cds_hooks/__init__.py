"""CDS Hooks 2.0 service of d3k2 on FHIR R4 (needs the ``cds`` extra).

Import :func:`mount` or :func:`create_cds_app` from :mod:`d3k2.cds_hooks.app`; this package
imports nothing heavy itself, so ``import d3k2`` stays fast.
"""

from d3k2.cds_hooks.settings import CdsSettings, Issuer

__all__ = ["CdsSettings", "Issuer"]
