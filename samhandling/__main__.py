from samhandling.cli import main

main()
