from d3k2.cli import main

main()
