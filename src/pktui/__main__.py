from pktui.cli import main

raise SystemExit(main())
