from d3k2.startup import tune_garbage_collector

tune_garbage_collector()

from d3k2.cli import main  # noqa: E402 - after the collector is tuned, so imports benefit

main()
