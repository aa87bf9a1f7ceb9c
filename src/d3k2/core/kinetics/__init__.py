"""25(OH)D kinetics: the projection model and dose planning (regimen arithmetic is in
:mod:`d3k2.core.regimen`, shared with screening)."""
