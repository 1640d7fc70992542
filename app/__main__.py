import sys

from app.commands.main import main

if __name__ == "__main__":
    sys.exit(main())
