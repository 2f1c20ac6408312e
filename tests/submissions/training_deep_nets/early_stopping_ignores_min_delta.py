"""early_stopping ignores min_delta: any decrease of the loss counts as an improvement."""

FAILS = {"test_early_stopping": ["matches_the_rule", "improvements_within_min_delta_do_not_count"]}


def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
