"""Reports the log size in GiB (2**30 bytes) where the question asks for GB (10**9 bytes): 7% off."""

FAILS = {"test_log_storage_gb": ["decimal_gigabytes", "uses_days"]}


def log_storage_gb(searches_per_day, impressions_per_search, bytes_per_impression, days=7):
    return searches_per_day * impressions_per_search * bytes_per_impression * days / 2**30
