"""25(OH)D kinetics: regimen arithmetic, the projection model and dose planning."""
