"""Hard-codes a week of logs and ignores the `days` argument."""

FAILS = {"test_log_storage_gb": ["uses_days"]}


def log_storage_gb(searches_per_day, impressions_per_search, bytes_per_impression, days=7):
    return searches_per_day * impressions_per_search * bytes_per_impression * 7 / 1e9
