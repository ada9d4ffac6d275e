"""Default weights and thresholds for the ranking; every one can be set in the settings file
(``[ranking]`` and ``[ranking.weights]``). The README's design notes say why these values."""

from __future__ import annotations

__all__ = ["WEIGHTS", "RANKING", "RESPONSE"]

# Points per unit of evidence.
WEIGHTS: dict[str, float] = {
    "helpful_answers": 3.0,      # x sqrt(people answered, each weighed by trust): not volume
    "confirmed_help": 4.0,       # per answer the person helped confirmed ("thanks, that worked")
    "negative_feedback": -3.0,   # per "didn't work" from the person answered
    "fix_amplification": 1.0,    # x saturating fixes spread x audience (graph.score)
    "endorsement": 3.0,          # per brand retweet, quote or thanks of their answer
    "network": 0.2,              # x 10 x personalised PageRank / the highest (a tie-breaker)
    "consistency": 0.5,          # per week with a helping act (at most 8 weeks count)
    "responsiveness": 2.0,       # x speed factor 1 / (1 + mean hours to answer / 2)
}

RANKING: dict[str, float] = {
    "window_days": 90,
    "half_life_days": 45,        # older evidence counts less, halving every 45 days
    # Tiers are absolute (one outlier cannot demote everyone) and need evidence.
    "champion_min_score": 8.0,
    "champion_min_helped": 3,    # different people answered (counting in full)
    "champion_min_confirmed": 2,  # of them, who confirmed the help
    "rising_min_score": 4.0,
    "rising_growth": 1.5,        # x the previous window's score
    "rising_min_helped": 1,
    "rising_min_confirmed": 1,   # never thanked is not rising, however many answers
    # Trust: help to, and thanks from, accounts with no life outside the helper count less.
    "reciprocal_weight": 0.15,   # help between accounts who answer each other (rings)
    "closed_weight": 0.25,       # help to an account that talks to no one else
    "max_answers_per_person": 3,  # answers to one person that count (diminishing)
    # Unconfirmed answers saturate at this many confirmed people's worth (3 x sqrt(1) = 3
    # points at most): many unthanked replies never outscore one thanked answer.
    "unconfirmed_cap": 1.0,
    # Spreading the brand's fixes: amplify_max x (1 - e^(-units / amplify_scale)) x audience
    # (at most amplify_max_audience); units: a retweet 0.5, a quote 0.75, an engaged post 1.
    "amplify_max": 6.0,
    "amplify_scale": 6.0,
    "amplify_max_audience": 2.5,
    # Staff and businesses recognised by behaviour (tweets in brand voice).
    "voice_min_tweets": 2,       # tweets in business voice to flag an account
    # Tweets in a brand agent's voice to flag an account as likely staff: one is enough when
    # it is this share of the account's tweets. Agent cues are precise ("DM us", "please
    # reach out to our", "your order number"), and a reply in that voice was never credited
    # as community help anyway; the flag makes the call visible so staff can overrule it.
    "voice_min_agent_tweets": 1,
    "voice_min_share": 0.3,      # ... and this share of its tweets
    "bot_retweet_share": 0.9,    # of at least bot_min_tweets tweets
    "bot_min_tweets": 10,
    "bot_fast_share": 0.8,       # of retweets made within bot_fast_seconds of the original
    "bot_fast_seconds": 60,
    "bot_daily_volume": 150,     # tweets in one day
    # PageRank stops when the summed change over all nodes falls under this times their
    # number. Tight enough that a ranking begun from the last one's values (a cycle,
    # ``graph.incremental``) and one from scratch agree to the last digit shown: at 1e-10
    # they differed by up to a thousandth in the network points, and ties swapped places.
    "pagerank_tol": 1e-16,
    # Above this share of the stored tweets to read again for (new ones, and those in the time
    # the windows moved by), a ranking starts from scratch instead of building on the last
    # one (graph.incremental): reading people's changed weeks then costs more than one pass.
    # On the 1.37M-tweet benchmark community (SQLite), 10,000 new tweets (2.9% to read again
    # for) ranked in 11.1-11.9 s built on the last ranking, 12.5-12.7 s from scratch; 20,000
    # (6%) in 18 s (docs/benchmarks.md).
    "incremental_up_to": 0.03,
    "louvain_seed": 42,
}

# Response times (``[response]``): the staff time the community saves is counted as the
# requests staff never had to answer (the community answered, no staff reply by the window's
# end) times this many minutes of an agent's time per request: an assumption each team sets
# to its own handling time; it is written beside the figure wherever it shows.
RESPONSE: dict[str, float] = {
    "staff_minutes_per_request": 10.0,
}
