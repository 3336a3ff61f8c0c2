from powerbase.cli.entry import main

main()
