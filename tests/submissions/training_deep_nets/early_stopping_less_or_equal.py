"""early_stopping counts a loss equal to the best minus min_delta as an improvement (<= instead of <)."""

FAILS = {"test_early_stopping": ["matches_the_rule", "equal_loss_is_not_an_improvement"]}


def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best - min_delta:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
