"""coprod: find and rank defence co-production pairings.

The core (catalog, matching, ranking, feasibility, output) never imports the
TUI or the CLI; both call the same core functions.
"""

__version__ = "0.1.0"

# Partners from this country are the candidate local co-producers.
LOCAL_COUNTRY = "Taiwan"
