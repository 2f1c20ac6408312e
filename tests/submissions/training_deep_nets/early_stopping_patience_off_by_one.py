"""early_stopping waits one epoch too long: it stops when more than patience epochs have passed since
the last improvement."""

FAILS = {"test_early_stopping": ["matches_the_rule", "stops_patience_epochs_after_the_last_improvement"]}


def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch > patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
