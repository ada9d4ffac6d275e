"""Built-in phrases for the tweet roles, per language; ``[phrases.<lang>]`` in the settings
replaces a list or adds a language.

Matching (``graph.roles``) is Unicode-aware: text and phrases are NFKC-normalised and
case-folded; a phrase in a script written without spaces (Japanese, Chinese, Thai...) matches as
a substring, any other phrase only between non-letters (never Python's ``\\b``). A tweet's own
``lang`` chooses its list (plus ``any``); a tweet without a usable ``lang`` is tried against
every list.

Roles:

* ``request``: a problem or a question ("not working", "any idea"). A question mark in any
  script (? ？ ؟ ¿) also makes a request.
* ``fix``: concrete steps or a pointer to a fix ("try", "go to settings", "restart").
* ``answer``: other answer content: an explanation or a fact that answers ("apparently",
  "because", "you can", "call them").
* ``thanks``: gratitude or confirmation ("thanks", "that worked").
* ``negative``: it did not help, or sarcasm ("didn't work", "thanks for nothing", "no thanks").
  A tweet with a negative phrase is never thanks.
* ``chatter``: talk that is not an answer ("me too", "same here", "lol", "what do you need?").
  A reply with chatter and no fix is not an answer.
* ``agent``: a brand's voice ("DM us", "we'd like to help"); agent sign-offs (^JK, -Becky,
  *ErikS) are found by pattern, not by phrase.
* ``business``: an organisation's product talk ("our new", "we're excited to announce").
* ``we`` / ``i``: first-person plural and singular words: an account that speaks as "we" and
  never as "I" in most of its tweets talks like an organisation.
"""

from __future__ import annotations

__all__ = ["PHRASES", "ROLES"]

ROLES = ("request", "fix", "answer", "thanks", "negative", "chatter", "agent", "business",
         "we", "i")

PHRASES: dict[str, dict[str, list[str]]] = {
    # Language-independent: tried on every tweet.
    "any": {
        "thanks": ["🙏", "🙌"],
        "negative": ["👎", "🙄", "😒", "/s"],
        "chatter": ["😂", "🤣", "😹", "+1"],
    },
    "en": {
        "request": [
            "help", "please help", "anyone know", "does anyone", "anybody know", "how do i",
            "how can i", "how to", "can't", "cant", "cannot", "won't", "wont", "not working",
            "doesn't work", "does not work", "isn't working", "stopped working", "not loading",
            "broken", "issue", "problem", "error", "keeps crashing", "crashes", "crashing",
            "any idea", "any ideas", "any fix", "any solution", "stuck", "fails", "failing",
            "not able to", "unable to", "what do i do", "why does", "why is", "why won't",
            "delayed", "cancelled", "canceled", "overcharged", "charged me", "refund",
            "never arrived", "hasn't arrived", "not arrived", "missing", "lost my", "locked out",
            "still waiting", "no service", "no signal", "outage", "is down", "keeps dropping",
            "wrong item", "i need", "need to know", "wondering if", "does it", "is there a way",
            "no way to", "won't let me", "doesn't let me",
        ],
        "fix": [
            "try", "have you tried", "you need to", "you have to", "go to settings",
            "go to your", "go into", "in settings", "under settings", "your settings",
            "settings >", "settings app",
            "restart", "reboot", "reset", "turn off", "turn it off", "turn on", "unplug",
            "plug it", "clear the cache", "clear cache", "clear your cache", "update to",
            "update your", "reinstall", "uninstall", "sign out", "log out", "log back in",
            "hold the", "hold down", "press", "tap", "steps", "step 1", "here's how",
            "heres how", "this fixed", "fixed it for me", "worked for me", "workaround",
            "the fix", "follow this", "this guide", "this article", "disable", "enable",
            "toggle", "factory reset", "power cycle",
            # -ing forms only where a fault is never described that way ("keeps rebooting"
            # and "keeps logging me out" are problems, not steps).
            "clearing the cache", "clearing your cache", "unplugging it", "reinstalling the",
        ],
        "answer": [
            "you can", "you could", "you should", "you'll need", "you will need", "you must",
            "if you", "apparently", "because", "it's due to", "due to", "depends on",
            "the reason", "they said", "said to me", "told me", "according to", "it says",
            "only customers", "is premium rate", "is inclusive", "you get", "you won't",
            "should be", "will be back", "call them", "ring them", "contact them",
            "email them", "report it", "reported to", "has to be reported", "ask them",
            "ask for", "make sure", "head to", "instead", "alternative", "on the side",
            "stick with it", "got through", "it's a known", "known issue", "same thing happened",
            "what worked", "the trick is", "here's what", "it's on their", "check the",
            "check your", "in the app", "on the website", "their website", "the number is",
            "is available", "are available", "not available", "you're entitled",
            "you are entitled", "the policy", "could help", "can help with",
            "might be able to help", "will be able to help",
        ],
        "thanks": [
            "thanks", "thank you", "thank u", "thankyou", "thx", "ty", "tysm", "cheers", "ta",
            "tx", "appreciate it", "appreciated", "much appreciated", "that worked", "it worked",
            "this worked", "works now", "working now", "working again", "fixed it",
            "that fixed it", "that did it", "did the trick", "solved", "sorted",
            "all good now", "you're a star", "youre a star", "legend", "lifesaver",
            "life saver", "you rock", "hero", "good to know", "that helps", "helpful",
        ],
        "negative": [
            "didn't work", "didnt work", "did not work", "doesn't help", "didn't help",
            "didnt help", "not helpful", "still not working", "still broken", "still doesn't",
            "still does not", "still can't", "not my problem", "useless", "that's wrong",
            "thats wrong", "no luck", "made it worse", "stop spamming", "spam", "shut up",
            "nobody asked", "scam", "thanks for nothing", "thank you for nothing",
            "no thanks", "no thank you", "thanks but", "thanks, but", "thanks anyway",
            "thanks a lot for nothing", "yeah right", "not helping", "doesn't work",
            "does not work", "not working", "what a joke",
        ],
        "chatter": [
            "me too", "me 2", "same here", "same issue", "same problem", "same with me",
            "same exact", "same for me", "same thing here", "lol", "lmao", "haha", "jeez",
            "congrats", "good luck", "what do you need", "how can i help", "what's wrong",
            "whats wrong", "what's up", "wym", "idk", "so true", "i agree", "agreed", "ikr",
            "love it", "like it", "creative", "#contest", "giveaway", "good morning",
            "not just us", "not just me", "you too", "omg", "ugh", "wow",
        ],
        "agent": [
            "dm us", "send us a dm", "send us a direct message", "drop us a dm",
            "shoot us a dm", "shoot me a dm", "send me a dm", "please dm", "follow and dm",
            "we'd like to help", "we would like to help", "we'd be happy to help",
            "we're happy to help", "we're here to help", "we are here to help",
            "we'd love to help", "happy to help", "we can look into", "we'll look into",
            "we'll take a look", "we'll check", "let us know", "reach out to us",
            "sorry for the inconvenience", "we apologize", "we apologise",
            "thanks for reaching out", "thank you for reaching out", "private message",
            "apologies", "thank you for sharing", "thanks for sharing",
        ],
        "business": [
            "our new", "our latest", "our products", "our stores", "our store",
            "our customers", "our app", "our mince pies", "our pies", "our range",
            "our team", "ours are", "ours will", "we're excited", "we are excited",
            "excited to announce", "proud to announce", "join our", "check out our",
            "visit us", "shop now", "available now", "pre-order now", "preorder now",
            "order now", "our offer", "our deals",
        ],
        "we": ["we", "we're", "we've", "we'll", "we'd", "our", "ours", "us"],
        "i": ["i", "i'm", "im", "i've", "i'll", "i'd", "my", "me", "mine"],
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
            "desinstala", "a mí me funcionó", "a mi me funciono", "paso 1", "cierra sesión",
            "apaga", "desconecta",
        ],
        "answer": ["puedes", "tienes que", "hay que", "porque", "según", "llama a"],
        "thanks": [
            "gracias", "muchas gracias", "mil gracias", "funcionó", "funciono",
            "ya funciona", "funciona ya", "resuelto", "solucionado", "eres un crack",
            "te lo agradezco",
        ],
        "negative": [
            "no funcionó", "no funciono", "no sirve", "sigue sin", "sigue igual",
            "no me ayudó", "no me ayudo", "no es mi problema", "inútil", "inutil",
            "gracias por nada", "no gracias",
        ],
        "chatter": ["yo también", "yo tambien", "a mí también", "jaja", "jajaja"],
        "agent": ["envíanos un md", "envianos un md", "dinos", "estamos para ayudarte"],
        "business": ["nuestra nueva", "nuestro nuevo", "nueva oferta"],
        "we": ["nosotros", "nuestro", "nuestra", "nuestros", "nuestras"],
        "i": ["yo", "mi", "mis", "me"],
    },
}
