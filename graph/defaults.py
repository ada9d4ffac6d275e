"""Default phrases, weights and thresholds for the ranking; every one can be set in the TOML.

Phrases are matched case-insensitively as whole words (emoji and punctuation as they are), after
the leading @mentions of a reply are removed. Every language's phrases are tried on every tweet:
tweets' language tags are often missing or wrong, and a Spanish "gracias" is unambiguous.
"""

PHRASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "request": [
            "help", "please help", "anyone know", "does anyone", "anybody know", "how do i",
            "how can i", "how to", "can't", "cant", "cannot", "won't", "wont", "not working",
            "doesn't work", "does not work", "isn't working", "stopped working", "not loading",
            "broken", "issue", "problem", "error", "keeps crashing", "crashes", "crashing",
            "any idea", "any ideas", "any fix", "any solution", "stuck", "fails", "failing",
            "not able to", "unable to", "what do i do", "why does", "why is", "why won't",
        ],
        "fix": [
            "try", "have you tried", "you can", "you need to", "you have to", "go to",
            "settings", "restart", "reboot", "reset", "turn off", "turn it off", "turn on",
            "unplug", "plug it", "clear the cache", "clear cache", "clear your cache",
            "update to", "update your", "reinstall", "uninstall", "sign out", "log out",
            "log back in", "hold the", "hold down", "press", "tap", "steps", "step 1",
            "here's how", "heres how", "this fixed", "fixed it for me", "worked for me",
            "workaround", "the fix", "solution", "follow this", "this guide", "this article",
            "check out this", "disable", "enable", "toggle", "factory reset", "power cycle",
            # -ing forms only where a fault is never described that way ("keeps rebooting"
            # and "keeps logging me out" are problems, not steps).
            "clearing the cache", "clearing your cache", "unplugging it", "reinstalling the",
        ],
        "thanks": [
            "thanks", "thank you", "thank u", "thankyou", "thx", "ty", "tysm", "cheers",
            "appreciate it", "appreciated", "much appreciated", "that worked", "it worked",
            "this worked", "works now", "working now", "working again",
            "fixed it", "that fixed it", "that did it", "did the trick", "solved",
            "sorted", "all good now", "you're a star", "youre a star", "legend",
            "lifesaver", "life saver", "you rock", "hero", "🙏", "👍", "❤️", "🙌", "💯",
        ],
        "negative": [
            "didn't work", "didnt work", "did not work", "doesn't help", "didn't help",
            "didnt help", "not helpful", "still not working", "still broken", "still doesn't",
            "still does not", "still can't", "not my problem", "useless", "that's wrong",
            "thats wrong", "no luck", "made it worse", "stop spamming", "spam", "shut up",
            "nobody asked", "scam", "👎",
        ],
    },
    "es": {
        "request": [
            "ayuda", "alguien sabe", "cómo puedo", "como puedo", "cómo hago", "como hago",
            "no funciona", "no puedo", "problema", "error", "no me deja", "falla", "se cae",
            "no carga", "qué hago", "que hago",
        ],
        "fix": [
            "prueba", "pruebe", "intenta", "intente", "reinicia", "reinicie", "ve a", "vaya a",
            "configuración", "ajustes", "borra la caché", "borra la cache", "actualiza",
            "desinstala", "solución", "a mí me funcionó", "a mi me funciono", "paso 1",
            "cierra sesión", "apaga", "desconecta",
        ],
        "thanks": [
            "gracias", "muchas gracias", "mil gracias", "funcionó", "funciono",
            "ya funciona", "funciona ya", "resuelto", "solucionado", "eres un crack",
            "te lo agradezco", "genial",
        ],
        "negative": [
            "no funcionó", "no funciono", "no sirve", "sigue sin", "sigue igual",
            "no me ayudó", "no me ayudo", "no es mi problema", "inútil", "inutil",
        ],
    },
    # Thanks and complaints travel: a few words from more languages.
    "fr": {"thanks": ["merci", "ça marche", "ca marche"], "negative": ["ça marche pas"],
           "request": ["aide", "ne marche pas", "ne fonctionne pas"], "fix": ["essayez"]},
    "de": {"thanks": ["danke", "vielen dank", "hat geklappt"], "negative": ["geht immer noch nicht"],
           "request": ["hilfe", "funktioniert nicht", "geht nicht"], "fix": ["versuch"]},
    "pt": {"thanks": ["obrigado", "obrigada", "valeu", "funcionou"],
           "negative": ["não funcionou", "nao funcionou"],
           "request": ["ajuda", "não funciona", "nao funciona"], "fix": ["tente"]},
}

# Points per unit of evidence. See the README's design notes for why these values.
WEIGHTS: dict[str, float] = {
    "helpful_answers": 3.0,      # x sqrt(answers): volume alone must not win
    "confirmed_help": 2.0,       # per thanks received for help
    "negative_feedback": -3.0,   # per "didn't work" / "not my problem" received
    "fix_amplification": 1.0,    # per retweet/quote/share of a fix, x audience factor
    "endorsement": 3.0,          # per brand retweet, quote or thanks of their help
    "network": 0.5,              # x 10 x personalised PageRank / the highest
    "consistency": 0.5,          # per active week
    "responsiveness": 2.0,       # x speed factor 1 / (1 + median hours to answer / 2)
}

RANKING: dict[str, float] = {
    "window_days": 90,
    "half_life_days": 45,        # older evidence counts less, halving every 45 days
    "champion_min_score": 10.0,
    "champion_share_of_top": 0.25,  # and at least this share of the top score
    "rising_min_score": 4.0,
    "rising_growth": 1.5,        # x the previous window's score
    "bot_retweet_share": 0.9,    # of at least bot_min_tweets tweets
    "bot_min_tweets": 10,
    "bot_fast_share": 0.8,       # of retweets made within bot_fast_seconds of the original
    "bot_fast_seconds": 60,
    "bot_daily_volume": 150,     # tweets in one day
    "pagerank_tol": 1e-10,
    "louvain_seed": 42,
}
