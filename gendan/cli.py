"""The `gendan` command: every operator task, as Django management commands behind one name.

gendan serve      run the web server (gunicorn, several workers)
gendan worker     run the background worker (deferred and periodic jobs)
gendan demo       load the paper-mill demo data into an empty database
gendan backup     back up the database and uploaded files
gendan migrate    create or upgrade the database
gendan createsuperuser / changepassword / ...   any Django management command
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    from gendan.core.management.operator_help import execute

    execute(["gendan", *sys.argv[1:]])


if __name__ == "__main__":
    main()
