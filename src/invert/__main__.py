from invert.cli.root import main

main()
