"""Reference code, but a weak ASPER write-up: generic questions, unjustified assumptions, no numbers.

The written answers are graded by hand, so this variant loses no autograded points; it gives the
formgrader and the demo a realistic weak answer to score against the rubric.
"""

FAILS = {}

ANSWERS = {
    "asper_ask": """
- What is the data?
- How much data is there?
- Which model should I use?
- Is accuracy the metric?
""",
    "asper_suppose": """
- The data is clean.
- We have enough GPUs.
""",
    "asper_plan": """
Collect the data, clean it, train a deep neural network (maybe a transformer) to predict clicks,
tune the hyperparameters and deploy it to production. Then monitor it.
""",
    "asper_execute": """
We minimise the binary cross-entropy of the click label, $L = -y \\log p - (1 - y) \\log(1 - p)$,
with Adam. The logs are big, so we need a cluster.
""",
    "asper_recap": """
We built a deep-learning recommender. In the future we could use a bigger model.
""",
}
