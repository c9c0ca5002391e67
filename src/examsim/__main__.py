import sys

from examsim.cli import main

sys.exit(main())
