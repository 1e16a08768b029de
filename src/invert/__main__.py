from invert.cli.entry import main

main()
