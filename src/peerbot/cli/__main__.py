from peerbot.cli.main import main

raise SystemExit(main())
