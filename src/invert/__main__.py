from invert.cli import main

main()
