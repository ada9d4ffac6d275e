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

__all__ = ["PHRASES", "ROLES", "GENERAL", "why_general"]

ROLES = ("request", "fix", "answer", "hint", "thanks", "negative", "chatter", "agent",
         "business", "we", "i")

PHRASES: dict[str, dict[str, list[str]]] = {
    # Language-independent: tried on every tweet.
    "any": {
        "thanks": ["🙏", "🙌"],
        "negative": ["👎", "🙄", "😒", "🙃", "🤡", "/s"],
        "chatter": ["😂", "🤣", "😹", "+1"],
    },
    "en": {
        "request": [
            "please help", "help me", "i need help", "help!", "help pls", "help plz",
            "pls help", "plz help", "any help", "can someone help", "can anyone help",
            "someone help", "anyone know", "does anyone", "anybody know", "how do i",
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
            "remove it", "add it again", "re-add", "delete the", "use the", "use your",
            "switch it", "change the", "set it up again", "plug in", "move it", "run the",
            "force a restart", "open the", "pair it",
            "connect it", "from the menu",
        ],
        "answer": [
            "you can", "you'll need", "you will need", "you must", "you need", "it's due to",
            "due to", "depends on", "the reason", "according to", "call them", "ring them",
            "contact them", "email them", "dm them", "report it", "reported to", "ask them",
            "ask for", "make sure", "head to", "it's a known", "known issue", "known bug",
            "is a known", "same thing happened", "what worked",
            "the trick is", "here's what", "check the", "check your", "in the app",
            "on the website", "their website", "the number is", "is available",
            "are available", "not available", "you're entitled", "you are entitled",
            "the policy", "can help with", "might be able to help", "will be able to help",
            "dm with", "they sent me", "fixed mine", "sorted mine", "what fixed it",
            "that's what fixed", "only works", "they open", "they close", "open until",
            "opens at", "closes at", "it costs", "it's free", "is free", "are free",
            "you get charged", "charges for", "you'll get", "you will get", "it's in",
            "it's under", "is under", "you'll find", "you will find", "in your account",
            "same happened to me",
        ],
        # Weak answer cues: words an explanation uses, but so do complaints ("because they
        # never answer", "if you ask me"). Two of them make an answer, one does not.
        "hint": [
            "because", "cos", "if you", "it says", "apparently", "should be",
            "you get", "instead", "they said", "told me", "took me", "it needs", "you could",
            "you should", "you won't", "will be back", "alternative", "could help",
            "i think", "pretty sure", "i believe", "usually", "normally", "i was told",
        ],
        "thanks": [
            "thanks", "thank you", "thank u", "thankyou", "thx", "ty", "tysm", "cheers",
            "tx", "appreciate it", "appreciated", "much appreciated", "that worked", "it worked",
            "this worked", "works now", "working now", "working again", "fixed it",
            "that fixed it", "that did it", "did the trick", "solved", "sorted",
            "all good now", "you're a star", "youre a star", "legend", "lifesaver",
            "life saver", "you rock", "hero", "good to know", "that helps", "helpful",
            "saved my", "saved me", "you saved", "worked", "it works", "that was it",
            "problem solved", "i owe you", "owe you one", "you're a genius", "youre a genius",
        ],
        "negative": [
            "didn't work", "didnt work", "did not work", "never worked", "not worked",
            "not fixed", "still not", "thanks for trying", "thank you for trying",
            "captain obvious",
            "hasn't worked", "doesn't help", "didn't help",
            "didnt help", "not helpful", "still not working", "still broken", "still doesn't",
            "still does not", "still can't", "not my problem", "useless", "that's wrong",
            "thats wrong", "no luck", "made it worse", "stop spamming", "spam", "shut up",
            "nobody asked", "scam", "thanks for nothing", "thank you for nothing",
            "no thanks", "no thank you", "thanks but", "thanks, but", "thanks anyway",
            "thanks a lot for nothing", "yeah right", "not helping", "doesn't work",
            "does not work", "not working", "what a joke",
            # Sarcastic thanks: a thank-you next to a complaint or a dig.
            "yeah thanks", "yeah, thanks", "wow thanks", "wow, thanks", "gee thanks",
            "gee, thanks", "thanks genius", "thanks, genius", "thanks i guess",
            "thanks, i guess", "thanks... i guess", "thank you i guess",
            "no difference", "makes no difference", "already tried",
            "now it won't", "won't even", "'help'", "thanks for the help, not",
            "great help", "very helpful, not",
            # Mock advice: jokes that read like steps.
            "yelling at it", "shouting at it", "swearing at it", "hitting it",
            "throw it out the window", "touch grass",
            # Dismissals and brand-switch trolling: an answer in form, no help in fact.
            "skill issue", "welcome to the club", "give up", "don't bother", "dont bother",
            "never gonna work", "never going to work", "it'll never work", "will never work",
            "never be fixed", "good luck with that", "switch to android", "switch to iphone",
            "get an android", "get an iphone", "get a real phone", "buy a real",
            "buy a better", "get a better", "switch providers", "switch provider",
            "change provider", "change providers", "switch carriers", "switch networks",
            "just leave", "cancel your contract", "cancel and go", "user error",
            "learn to", "deal with it", "cry about it",
            "thanks for the wait", "thanks for waiting", "thanks for the late",
            "thanks for the slow", "thanks for the quick response, not",
            "thanks for ignoring", "thanks for wasting",
        ],
        "chatter": [
            "me too", "me 2", "same here", "same issue", "same problem", "same with me",
            "same exact", "same for me", "same thing here", "lol", "lmao", "haha", "jeez",
            "congrats", "good luck", "what do you need", "how can i help", "what's wrong",
            "whats wrong", "what's up", "wym", "idk", "so true", "i agree", "agreed", "ikr",
            "love it", "like it", "creative", "#contest", "giveaway", "good morning",
            "not just me", "you too", "omg", "ugh", "wow",
            "plot twist",
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
            # Brand voice in answers (each far more frequent in the TWCS head's brand tweets
            # than in its customers'): a greeting, an invitation, "our" support.
            "hey there", "hi there", "feel free to", "please reach out", "please contact",
            "contact our", "reach out to our", "our support",
            # Sending the customer to one's own team ("please call our Digital Assist Team").
            "call our", "phone our", "speak to our", "speak with our",
            "give us a call", "please send", "send us your", "your order number",
            "your account number", "booking reference", "your full name", "please confirm",
            "look into this",
        ],
        "business": [
            "our new", "our latest", "our products", "our stores", "our store",
            "our customers", "our app", "our range",
            "our team", "ours are", "we're excited", "we are excited",
            "excited to announce", "proud to announce", "join our", "check out our",
            "visit us", "shop now", "available now", "pre-order now", "preorder now",
            "order now", "our offer", "our deals",
        ],
        "we": ["we", "we're", "we've", "we'll", "we'd", "our", "ours", "us"],
        "i": ["i", "i'm", "im", "i've", "i'll", "i'd", "my", "me", "mine"],
    },
    # Non-English lists follow what customers and agents write on X: colloquial forms, accents
    # dropped ("como hago", "nao funciona"), abbreviations ("grax", "vlw", "mksh", "obg").
    # Imperatives that read the same as a description of the fault ("se apaga", "redémarre
    # tout seul", "si riavvia") are given only with their object or another cue. Japanese
    # phrases match as substrings, so they carry a particle or ending that keeps them specific
    # ("再起動してください", not "再起動": "勝手に再起動する" is a problem, not a step; "私は", not
    # "私": "私たち" is "we").
    "es": {
        "request": [
            "ayuda", "ayúdenme", "ayudenme", "ayúdame", "ayudame", "alguien me ayuda",
            "alguien sabe", "alguien sabe cómo", "cómo puedo", "como puedo", "cómo hago",
            "como hago", "cómo le hago", "como le hago", "qué hago", "que hago", "no sé cómo",
            "no se como", "no funciona", "no me funciona", "dejó de funcionar",
            "dejo de funcionar", "no puedo", "no me deja", "no carga", "no abre", "no conecta",
            "no se conecta", "no enciende", "no prende", "no anda", "no responde", "problema",
            "error", "falla", "fallas", "se cae", "se cayó", "se cayo", "caído", "caido",
            "sin servicio", "sin internet", "sin señal", "sin senal", "sin línea", "sin linea",
            "no me llega", "no llegó", "no ha llegado", "nunca llegó", "nunca llego",
            "sigo esperando", "me cobraron", "cobro indebido", "cobro doble", "reembolso",
            "devolución", "devolucion", "bloqueada", "bloqueado", "alguna solución",
            "alguna solucion", "alguna idea", "hay alguna forma", "hay forma de", "necesito",
            "se reinicia solo", "se apaga solo", "se desconecta",
        ],
        "fix": [
            "prueba a", "prueba con", "pruebe", "proba", "probá", "intenta", "intente", "intentá",
            "has probado", "probaste", "reiniciá", "reinicie", "reinicia el", "reinicia la",
            "reiniciar el", "ve a configuración", "ve a ajustes", "vaya a", "entra en ajustes",
            "entra a configuración", "dirígete a", "dirigete a", "configuración", "configuracion",
            "ajustes", "borra la caché", "borra la cache", "borrar la caché", "borrar la cache",
            "limpia la caché", "limpia la cache", "borra los datos", "actualiza la app",
            "actualiza la aplicación", "actualiza la aplicacion", "desinstala",
            "vuelve a instalar", "reinstala", "cierra sesión", "cierra sesion",
            "vuelve a iniciar sesión", "vuelve a iniciar sesion", "apaga y enciende", "apágalo",
            "apagalo", "apaga el router", "desenchufa", "desenchúfalo", "desenchufalo",
            "mantén presionado", "manten presionado", "pulsa", "presiona", "desactiva la",
            "desactiva el", "activa la opción", "activa la opcion", "modo avión", "modo avion",
            "restablece", "restablecer", "valores de fábrica", "valores de fabrica", "paso 1",
            "sigue estos pasos", "este artículo", "este articulo", "este enlace",
            "a mí me funcionó", "a mi me funciono", "a mí me sirvió", "a mi me sirvio",
            "reinicia tu", "esta guía", "esta guia", "actualiza el", "después reinicia",
            "despues reinicia", "luego reinicia",
        ],
        "answer": [
            "puedes", "podés", "tienes que", "tenés que", "hay que", "debido a", "depende de", "llama a",
            "llama al", "llamá al", "contacta con", "comunícate con", "comunicate con",
            "escríbeles", "escribeles", "pídeles", "pideles", "es un fallo conocido",
            "fallo general", "es normal", "en la app", "en la web", "en su web", "tienes derecho",
            "te corresponde", "asegúrate", "asegurate", "revisa", "revisá", "fíjate", "fijate",
            "en vez de", "la solución", "la solucion", "escríbele", "escribele", "en garantía",
            "en garantia", "pídeselo", "pideselo", "en tu cuenta",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "porque", "según", "segun", "al parecer", "dicen que", "me dijeron",
        ],
        "thanks": [
            "gracias", "muchas gracias", "mil gracias", "grax", "grcs", "grasias", "funcionó",
            "funciono", "ya funciona", "funciona ya", "ya me funciona", "ya anda", "ya quedó",
            "ya quedo", "resuelto", "solucionado", "me sirvió", "me sirvio", "eres un crack",
            "sos un crack", "eres un genio", "sos un genio", "me salvaste", "te lo agradezco",
            "se agradece", "muy amable", "te debo una",
        ],
        "negative": [
            "no funcionó", "no funciono", "no sirve", "no sirvió", "no sirvio", "no me sirvió",
            "no me sirvio", "no me ayudó", "no me ayudo", "no ayuda", "no es mi problema",
            "inútil", "inutil", "inútiles", "inutiles", "gracias por nada", "no gracias",
            "no, gracias", "gracias pero", "gracias, pero", "gracias de todas formas", "gracias por intentarlo",
            "gracias de todos modos", "ya lo intenté", "ya lo intente", "ya lo probé",
            "ya lo probe", "qué chiste", "que chiste", "estafa", "estafadores", "pésimo", "pesimo",
            "pésima", "pesima", "una vergüenza", "una verguenza", "spam", "sigo sin", "sigo igual",
            "pero sigue", "y sigue igual", "y sigue sin", "todavía no funciona",
            "todavia no funciona", "aún no funciona", "aun no funciona", "probé y nada",
            "probe y nada", "lo intenté y nada", "lo intente y nada", "ya probé", "ya probe",
            # Dismissals and switch-brand trolling.
            "cámbiate a", "cambiate a", "cámbiate de", "cambiate de", "bienvenido al club",
            "bienvenida al club", "ríndete", "rindete", "no te molestes",
            "nunca lo van a arreglar", "nunca va a funcionar", "cómprate un", "comprate un",
            "gracias por la espera",
        ],
        "chatter": [
            "yo también", "yo tambien", "a mí también", "a mi tambien", "a mí igual", "a mi igual",
            "me pasa lo mismo", "me pasa igual", "mismo problema", "somos dos", "jaja", "jajaja",
            "jajajaja", "jeje", "jsjs", "xd", "suerte", "buena suerte", "felicidades", "ni idea",
            "qué necesitas", "que necesitas",
        ],
        "agent": [
            "envíanos un md", "envianos un md", "envíanos un dm", "envianos un dm",
            "mándanos un md", "mandanos un md", "escríbenos", "escribenos", "escribinos",
            "revisa tus mensajes directos", "te esperamos por md", "te esperamos por dm",
            "síguenos", "siguenos", "dinos", "estamos para ayudarte", "con gusto te ayudamos",
            "te ayudamos", "lamentamos las molestias", "lamentamos cualquier molestia",
            "disculpa las molestias", "disculpe las molestias", "sentimos las molestias",
            "lamentamos lo ocurrido", "revisamos tu caso", "quedamos atentos",
            "quedamos a tu disposición", "quedamos a tu disposicion", "gracias por contactarnos",
            "gracias por escribirnos", "nos comentas", "nos comentarías", "compártenos",
            "compartenos", "déjanos saber", "dejanos saber", "nuestros colegas", "lo sentimos",
        ],
        "business": [
            "nuestra nueva", "nuestro nuevo", "nueva oferta", "nuestros productos",
            "nuestras tiendas", "nuestra tienda", "nuestra app", "ya disponible", "ya a la venta",
            "compra ya", "descubre nuestro", "descubre nuestra", "conoce nuestro",
            "conoce nuestra", "nos complace anunciar", "sorteo", "participa", "visítanos",
            "visitanos", "reserva ya",
        ],
        "we": [
            "nosotros", "nuestro", "nuestra", "nuestros", "nuestras", "nos", "estamos", "somos",
            "tenemos", "podemos", "lamentamos", "sentimos",
        ],
        "i": ["yo", "mi", "mis", "me", "conmigo", "tengo", "estoy", "puedo", "quiero", "necesito"],
    },
    # Indonesian. X tags Indonesian tweets "in" (the old ISO code), other sources "id".
    "id": {
        "request": [
            "tolong", "tolong dibantu", "tolong bantu", "bantu dong", "bantu min", "bantu kak",
            "dibantu min", "dibantu kak", "bantuannya", "mohon bantuan", "mohon bantuannya",
            "mohon info", "mohon infonya", "ada yang tahu", "ada yang tau", "ada yg tahu",
            "ada yg tau", "gimana", "gmn", "bagaimana", "gimana caranya", "bagaimana cara",
            "kenapa", "knp", "gak bisa", "ga bisa", "nggak bisa", "ngga bisa", "gk bisa", "gabisa",
            "gbs", "tidak bisa", "tdk bisa", "gagal", "error", "eror", "masalah", "bermasalah",
            "kendala", "gangguan", "lemot", "lelet", "ngehang", "nge-hang", "sering hang",
            "hang terus", "mati total", "tidak berfungsi", "gak berfungsi", "ga berfungsi",
            "tidak muncul", "gak muncul", "belum sampai", "belum diterima", "belum masuk",
            "gak masuk", "ga masuk", "tidak masuk", "terpotong", "kepotong", "refund",
            "dana belum", "lupa password", "lupa kata sandi", "diblokir", "terblokir", "keblokir",
            "restart sendiri", "mati sendiri",
        ],
        "fix": [
            "coba", "cobain", "dicoba", "restart", "reboot", "reset", "matikan",
            "matikan lalu nyalakan", "nyalakan ulang", "mulai ulang", "hapus cache", "clear cache",
            "hapus data", "uninstall", "install ulang", "instal ulang", "update aplikasinya",
            "update ke versi", "perbarui", "pengaturan", "setelan", "masuk ke setting",
            "masuk ke pengaturan", "buka pengaturan", "pilih menu", "klik", "tekan",
            "tahan tombol", "cabut kabel", "cabut baterai", "cabut kartu", "cabut simcard",
            "logout", "log out", "login ulang", "keluar lalu masuk", "mode pesawat", "langkahnya",
            "ikuti langkah", "langkah-langkah", "caranya gini", "caranya begini",
            "berhasil di aku", "di aku berhasil", "work di aku", "di aku work", "panduan ini",
            "panduannya", "pake panduan", "pakai panduan",
        ],
        "answer": [
            "kamu bisa", "kakak bisa", "kak bisa", "bisa kok", "kamu harus", "harus ke", "kata cs", "menurut", "hubungi", "telepon ke", "datang ke",
            "bawa ke", "service center", "lewat aplikasi", "memang begitu", "emang gitu",
            "itu normal", "sudah diperbaiki", "pastikan", "sebagai gantinya", "tersimpan di",
            "kesimpan di",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "karena", "soalnya", "katanya",
        ],
        "thanks": [
            "terima kasih", "terimakasih", "trima kasih", "trimakasih", "makasih", "makasi",
            "makasii", "makasih banyak", "mksh", "mksih", "mkasih", "mks", "trims", "tq", "tks",
            "thx", "thanks", "thank you", "tengkyu", "hatur nuhun", "matur nuwun", "suwun",
            "udah bisa", "sudah bisa", "sdh bisa", "udh bisa", "berhasil", "sudah berhasil",
            "udah work", "udah beres", "sangat membantu", "membantu banget", "ngebantu banget",
            "mantap", "mantul", "penyelamat",
        ],
        "negative": [
            "makasih apaan", "makasih buat apa", "makasih untuk apa", "terima kasih untuk apa",
            "terima kasih buat apa", "gak jadi makasih", "ga jadi makasih", "tidak membantu",
            "gak membantu", "ga membantu", "nggak membantu", "gak ngebantu", "ga ngebantu",
            "sama aja", "udah dicoba", "sudah dicoba", "sudah saya coba", "udah coba",
            "gak berhasil", "ga berhasil", "tidak berhasil", "nggak berhasil", "belum berhasil",
            "percuma", "gak guna", "ga guna", "tidak berguna", "gak jelas", "ga jelas",
            "jawaban template", "template doang", "bukan urusan saya", "penipu", "penipuan",
            "spam", "nggak ngaruh", "gak ngaruh", "ga ngaruh", "tidak berpengaruh", "tapi masih",
            "tapi tetap", "tapi tetep", "tp masih", "tetep aja", "tetap saja", "masih aja",
            "masih sama aja", "belum bisa juga", "gak bisa juga", "ga bisa juga",
            "nggak bisa juga",
            # Dismissals and switch-brand trolling.
            "ganti provider", "ganti operator", "pasrah aja", "nyerah aja",
        ],
        "chatter": [
            "aku juga", "saya juga", "gue juga", "gw juga", "aku jg", "sy juga", "sama nih",
            "sama juga", "senasib", "wkwk", "wkwkwk", "wkwkwkwk", "haha", "hahaha", "xixixi",
            "awokawok", "semangat", "nyimak", "ikut nyimak", "ikutan", "nitip", "sama-sama",
            "sama2",
        ],
        "agent": [
            "dm kami", "mohon dm", "kirimkan dm", "pesan langsung", "silakan dm", "silahkan dm",
            "silakan hubungi", "silahkan hubungi", "mohon maaf atas ketidaknyamanan",
            "mohon maaf atas ketidaknyamanannya", "maaf atas ketidaknyamanannya",
            "mohon maaf atas kendala", "mohon maaf atas kendalanya", "kami bantu",
            "kami bantu cek", "kami cek", "kami periksa", "akan kami", "mohon infokan",
            "mohon diinfokan", "boleh diinfokan", "boleh dibantu",
            "terima kasih telah menghubungi", "terima kasih sudah menghubungi",
        ],
        "business": [
            "produk terbaru", "produk kami", "promo spesial", "promo terbaru", "dapatkan promo",
            "dapatkan diskon", "diskon hingga", "cashback hingga", "beli sekarang",
            "pesan sekarang", "sekarang tersedia", "kini hadir", "nantikan", "kuis berhadiah",
            "kunjungi", "toko kami", "gerai kami", "outlet kami", "aplikasi kami", "layanan kami",
            "pelanggan kami",
        ],
        "we": ["kami", "kita"],
        "i": ["saya", "aku", "aq", "gue", "gua", "gw", "sy"],
    },
    "fr": {
        "request": [
            "aidez-moi", "aidez moi", "besoin d'aide", "quelqu'un sait", "qqn sait", "qqun sait",
            "comment faire", "comment je peux", "comment puis-je", "comment on fait",
            "je fais comment", "que faire", "qu'est-ce que je fais", "pourquoi", "ne marche pas",
            "marche pas", "ne marche plus", "marche plus", "ne fonctionne pas", "fonctionne pas",
            "ne fonctionne plus", "je n'arrive pas", "j'arrive pas", "jarrive pas",
            "impossible de", "bug", "beug", "bugue", "problème", "probleme", "souci", "soucis",
            "erreur", "panne", "en panne", "pas de connexion", "plus de connexion",
            "pas de réseau", "pas de reseau", "toujours pas reçu", "toujours pas recu",
            "jamais reçu", "jamais recu", "pas reçu", "pas recu", "remboursement", "prélevé",
            "preleve", "débité", "debite", "bloqué", "bloquée", "annulé", "annule", "en retard",
            "redémarre tout seul", "redemarre tout seul", "s'éteint tout seul",
            "s'eteint tout seul", "à l'aide", "a l'aide", "de l'aide", "au secours",
        ],
        "fix": [
            "essayez", "essaie donc", "essaie ça", "essaye ça", "essaie ca", "essaye ca",
            "essaie avec", "essaye avec", "essaie en", "essaye en", "as-tu essayé", "tu as essayé",
            "t'as essayé", "avez-vous essayé", "redémarre ton", "redemarre ton", "redémarre le",
            "redémarre la", "redémarrez", "redemarrez", "éteins et rallume", "eteins et rallume",
            "éteindre et rallumer", "réinitialise ton", "reinitialise ton", "réinitialisez",
            "reinitialisez", "va dans", "allez dans", "dans les paramètres", "dans les parametres",
            "dans les réglages", "dans les reglages", "dans réglages", "dans paramètres",
            "vide le cache", "videz le cache", "vider le cache", "efface le cache", "désinstalle",
            "desinstalle", "désinstallez", "réinstalle", "reinstalle", "réinstallez",
            "mets à jour", "mets a jour", "mettez à jour", "mettez a jour", "déconnecte-toi",
            "deconnecte toi", "déconnectez-vous", "reconnecte-toi", "reconnectez-vous",
            "débranche", "debranche", "débranchez", "rebranche", "appuie sur", "appuyez sur",
            "maintiens", "maintenez", "désactive le", "désactive la", "desactive le",
            "desactive la", "désactivez", "activez", "mode avion", "étape 1", "etape 1",
            "voici comment", "il suffit de", "ce tuto", "ce tutoriel", "cet article",
            "ça a marché pour moi", "ca a marche pour moi", "chez moi ça a marché",
            "chez moi ca a marche", "ce guide",
        ],
        "answer": [
            "tu peux", "tu dois", "vous devez", "il faut", "d'après", "appelle le",
            "appelez le", "contacte le", "contactez le", "contacte-les", "contactez-les",
            "c'est normal", "bug connu", "problème connu", "probleme connu", "sur l'appli",
            "dans l'appli", "sur le site", "sur leur site", "tu as droit", "vous avez droit",
            "vérifie", "verifie", "assure-toi", "assurez-vous", "à la place", "a la place",
            "sur ton compte", "dans ton compte",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "parce que", "parce qu'", "apparemment", "visiblement", "selon", "ils m'ont dit",
            "on m'a dit",
        ],
        "thanks": [
            "merci", "merci beaucoup", "merci bcp", "mci", "mrc", "mrci", "merci infiniment",
            "mille mercis", "merci mille fois", "je vous remercie", "je te remercie",
            "ça marche maintenant", "ca marche maintenant", "ça marche nickel", "ca marche nickel",
            "ça remarche", "ca remarche", "ça fonctionne maintenant", "ca fonctionne maintenant",
            "ça refonctionne", "ca refonctionne", "ça a marché", "ca a marche", "ça a fonctionné",
            "ca a fonctionne", "c'est réglé", "c'est regle", "problème résolu", "probleme resolu",
            "résolu", "resolu", "t'es un chef", "vous êtes au top", "au top", "trop gentil",
            "c'est gentil",
        ],
        "negative": [
            "merci pour rien", "merci de rien", "non merci", "non, merci", "merci mais",
            "merci, mais", "merci quand même", "merci quand meme", "ça n'a pas marché",
            "ca n'a pas marche", "n'a pas marché", "n'a pas fonctionné", "ça n'a rien changé",
            "ca n'a rien change", "inutile", "ça sert à rien", "ca sert a rien", "sert à rien",
            "sert a rien", "pas résolu", "pas resolu", "non résolu", "non resolu", "nul", "nuls",
            "arnaque", "arnaqueurs", "spam", "pas mon problème", "pas mon probleme",
            "c'est une blague", "quelle blague", "n'importe quoi", "déjà essayé", "deja essaye",
            "toujours pareil", "rien n'y fait", "ça ne change rien", "ca ne change rien",
            "ça change rien", "ca change rien", "ça a pas marché", "ca a pas marche",
            "mais ça marche pas", "mais ca marche pas", "mais toujours pas", "mais rien",
            "toujours rien",
            # Dismissals and switch-brand trolling.
            "change d'opérateur", "change d'operateur", "laisse tomber", "bienvenue au club",
            "ça marchera jamais", "ca marchera jamais",
        ],
        "chatter": [
            "moi aussi", "moi pareil", "pareil pour moi", "pareil ici", "même problème",
            "meme probleme", "même souci", "meme souci", "idem", "mdr", "ptdr", "lol", "jpp",
            "haha", "hahaha", "bon courage", "bonne chance", "félicitations", "felicitations",
            "pas que moi", "on est deux", "aucune idée", "aucune idee", "jsp",
        ],
        "agent": [
            "envoie-nous", "envoyez-nous", "écris-nous", "ecris-nous", "écrivez-nous",
            "ecrivez-nous", "nous vous invitons", "je vous invite à", "nous sommes désolés",
            "nous sommes desoles", "nous sommes navrés", "nous sommes navres", "désolés pour",
            "navrés pour", "on regarde ça", "on s'en occupe", "nous allons vérifier",
            "notre service client", "nos conseillers", "voici un lien utile", "n'hésitez pas",
            "n'hesitez pas", "merci de nous avoir contactés", "merci pour votre message",
            "merci de votre retour",
        ],
        "business": [
            "notre nouveau", "notre nouvelle", "nos nouveaux", "nos nouvelles", "nos produits",
            "nos magasins", "notre boutique", "découvrez", "decouvrez", "dès maintenant",
            "des maintenant", "en exclusivité", "jeu concours", "concours", "à gagner",
            "commandez", "précommandez", "nous sommes fiers", "nous sommes heureux de",
            "rejoignez-nous",
        ],
        "we": ["nous", "notre", "nos"],
        "i": ["je", "j'", "moi", "mon", "perso"],
    },
    "de": {
        "request": [
            "hilfe", "kann mir jemand helfen", "kann mir wer helfen", "weiß jemand",
            "wie kann ich", "wie geht das", "was tun", "was kann ich tun", "was soll ich tun",
            "warum", "wieso", "weshalb", "funktioniert nicht", "funktioniert nicht mehr",
            "geht nicht", "geht nicht mehr", "klappt nicht", "kaputt", "defekt", "fehler",
            "fehlermeldung", "problem", "probleme", "störung", "stoerung", "ausfall",
            "kein internet", "kein netz", "kein empfang", "nicht erreichbar", "nicht angekommen",
            "noch nicht angekommen", "warte seit", "seit tagen", "abgebucht", "erstattung",
            "rückerstattung", "rueckerstattung", "storniert", "verspätung", "verspaetung",
            "kann nicht", "lässt sich nicht", "laesst sich nicht", "stürzt ab", "stuerzt ab",
            "hängt sich auf", "haengt sich auf", "jemand eine idee", "startet ständig neu",
            "startet staendig neu", "startet immer wieder neu",
        ],
        "fix": [
            "versuch mal", "versuchs mal", "versuch es", "versuchen sie", "probier mal",
            "probiere mal", "probiers mal", "probier es", "probieren sie", "hast du versucht",
            "hast du schon", "neu starten", "neustart", "starte neu", "starte das", "starte den",
            "starte die", "einstellungen", "geh auf", "geh in", "gehe auf", "gehe in",
            "gehen sie auf", "gehen sie in", "cache leeren", "cache löschen", "cache loeschen",
            "deinstallieren", "neu installieren", "neuinstallation", "mach ein update",
            "update machen", "abmelden und", "wieder anmelden", "aus- und wieder einschalten",
            "aus und wieder an", "aus und an", "ausschalten und", "stecker ziehen", "zurücksetzen",
            "zuruecksetzen", "werkseinstellungen", "gedrückt halten", "gedrueckt halten",
            "drück auf", "drücke auf", "tippe auf", "tipp auf", "deaktiviere", "deaktivier",
            "aktiviere", "flugmodus", "schritt 1", "so geht's", "so gehts", "hat bei mir geholfen",
            "hat bei mir funktioniert", "bei mir hat es geholfen", "diese anleitung",
            "dieser artikel", "halte den", "halte die", "den stecker", "die anleitung hier",
            "hat's bei mir", "bei mir gelöst",
        ],
        "answer": [
            "du kannst", "sie können", "sie koennen", "du musst", "sie müssen", "sie muessen",
            "laut dem", "laut der", "laut support", "laut hotline", "ruf mal", "ruf bei",
            "rufen sie", "wende dich an", "wenden sie sich an", "bekanntes problem", "ist bekannt",
            "liegt an", "liegt am", "in der app", "auf der webseite", "auf der website",
            "stattdessen", "anspruch auf", "steht dir zu", "steht ihnen zu", "bekannter bug",
            "bekannter fehler", "in deinem konto", "in ihrem konto",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "weil", "anscheinend", "scheinbar", "offenbar", "mir wurde gesagt", "die meinten",
        ],
        "thanks": [
            "danke", "danke dir", "danke schön", "dankeschön", "danke schoen", "dankeschoen",
            "vielen dank", "vielen lieben dank", "tausend dank", "dankee", "ich bedanke mich",
            "funktioniert wieder", "geht wieder", "klappt wieder", "läuft wieder", "laeuft wieder",
            "hat geklappt", "hat funktioniert", "hat geholfen", "gelöst", "geloest",
            "hat sich erledigt", "du bist der beste", "du bist die beste", "ihr seid die besten",
            "ehrenmann", "ehrenfrau", "lebensretter",
        ],
        "negative": [
            "danke für nichts", "danke fuer nichts", "nein danke", "nein, danke", "danke, aber",
            "danke aber", "trotzdem danke", "hat nicht geholfen", "nicht geholfen", "hilft nicht",
            "hilft mir nicht", "bringt nichts", "bringt nix", "hat nicht funktioniert",
            "hat nicht geklappt", "klappt nicht", "funktioniert nicht", "nutzlos", "sinnlos",
            "nicht gelöst", "nicht geloest", "unbrauchbar", "schon versucht", "schon probiert",
            "nicht mein problem", "sehr witzig", "betrug", "abzocke", "lächerlich", "laecherlich",
            "frechheit", "schwachsinn", "spam", "immer noch dasselbe", "immer noch das gleiche",
            "hab ich probiert", "habe ich probiert", "hab ich schon", "habe ich schon",
            "nicht geklappt", "geht immer noch nicht", "funktioniert immer noch nicht",
            "klappt immer noch nicht", "geht trotzdem nicht", "funktioniert trotzdem nicht",
            # Dismissals and switch-brand trolling.
            "willkommen im club", "gib auf", "wechsel den anbieter", "das wird nie",
        ],
        "chatter": [
            "ich auch", "bei mir auch", "bei mir genauso", "geht mir genauso", "gleiches problem",
            "selbes problem", "das gleiche problem", "haha", "hahaha", "lol", "xd", "viel glück",
            "viel glueck", "glückwunsch", "glueckwunsch", "keine ahnung", "nicht nur ich", "dito",
            "same hier", "hier auch", "hier genauso",
        ],
        "agent": [
            "schreib uns", "schreibt uns", "schreiben sie uns", "schick uns", "schicke uns",
            "sende uns", "senden sie uns", "wir helfen", "wir kümmern uns", "wir kuemmern uns",
            "wir schauen uns", "wir prüfen", "wir pruefen", "tut uns leid", "unannehmlichkeiten",
            "melde dich gerne", "melden sie sich gerne", "unser kundenservice",
            "unseren kundenservice", "unserem kundenservice", "kannst du dich gerne",
            "wir haben zu danken", "gebe ich weiter",
        ],
        "business": [
            "unser neues", "unsere neue", "unser neuer", "unsere neuen", "unsere produkte",
            "unsere filialen", "unsere kunden", "jetzt erhältlich", "jetzt erhaeltlich",
            "ab sofort", "jetzt bestellen", "jetzt vorbestellen", "entdecke", "entdecken sie",
            "gewinnspiel", "zu gewinnen", "unser angebot", "wir freuen uns", "wir sind stolz",
        ],
        "we": ["wir", "uns", "unser", "unsere", "unseren", "unserem", "unserer"],
        "i": ["ich", "mein", "meine", "meinen", "meinem", "meiner", "mir", "mich", "hab"],
    },
    "pt": {
        "request": [
            "ajuda", "me ajuda", "me ajudem", "socorro", "alguém sabe", "alguem sabe",
            "alguém ajuda", "alguem ajuda", "como faço", "como faco", "como eu faço",
            "como eu faco", "como posso", "o que eu faço", "o que eu faco", "oq eu faço",
            "oq eu faco", "não funciona", "nao funciona", "n funciona", "parou de funcionar",
            "não tá funcionando", "nao ta funcionando", "não está funcionando",
            "nao esta funcionando", "não consigo", "nao consigo", "n consigo", "não abre",
            "nao abre", "não carrega", "nao carrega", "não liga", "nao liga", "travando", "travou",
            "erro", "problema", "bug", "caiu de novo", "caiu a internet", "internet caiu",
            "caiu o sinal", "fora do ar", "sem internet", "sem sinal", "sem serviço",
            "sem servico", "não chegou", "nao chegou", "cadê", "cade", "atrasado", "cobrança",
            "cobranca", "me cobraram", "reembolso", "estorno", "bloqueado", "bloqueada",
            "cancelado", "alguma solução", "alguma solucao", "alguma ideia", "preciso de ajuda",
            "até agora nada", "ate agora nada", "reinicia sozinho", "desliga sozinho",
        ],
        "fix": [
            "tenta", "tente", "experimenta", "experimente", "já tentou", "ja tentou", "reinicia o",
            "reinicia a", "reinicie o", "reinicie a", "reiniciar o", "desliga e liga",
            "desligue e ligue", "liga de novo", "ligue de novo", "tira da tomada",
            "desliga da tomada", "configurações", "configuracoes", "ajustes", "vai em", "vá em",
            "va em", "acesse", "limpa o cache", "limpe o cache", "limpar o cache", "limpar cache",
            "limpa os dados", "desinstala", "desinstale", "reinstala", "reinstale",
            "atualiza o app", "atualize o app", "atualiza o aplicativo", "atualize o aplicativo",
            "sai da conta", "saia da conta", "faz logout", "faça logout", "segura o botão",
            "segure o botão", "segura o botao", "aperta o", "aperte o", "desativa o", "desativa a",
            "desative", "modo avião", "modo aviao", "passo 1", "restaurar", "redefinir",
            "resolveu aqui", "comigo funcionou", "aqui funcionou", "funcionou comigo",
            "funcionou aqui", "nesse link", "neste link", "esse tutorial", "desliga o modem",
            "desliga o roteador", "desligue o modem", "desligue o roteador", "esse guia",
            "resolveu pra mim", "resolveu para mim", "tem que atualizar", "atualiza o firmware",
            "atualizar o firmware", "depois reinicia", "desliga a atualização",
            "desliga a atualizacao",
        ],
        "answer": [
            "você pode", "voce pode", "vc pode", "você consegue", "vc consegue", "você tem que",
            "voce tem que", "vc tem que", "vc tem q", "você precisa", "vc precisa", "devido a", "de acordo com", "liga pra", "liga para", "ligue para",
            "entra em contato", "entre em contato", "fala com", "direto no app", "direto no site",
            "é normal", "problema conhecido", "é só ir", "é só clicar", "é só entrar",
            "é só desligar", "é só atualizar", "tem direito", "em vez de", "ao invés de",
            "ao inves de", "bug conhecido", "enquanto isso", "na sua conta", "fica salvo",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "por causa", "aparentemente", "pelo visto", "me disseram", "disseram que",
            "falaram que",
        ],
        "thanks": [
            "obrigado", "obrigada", "obg", "obgd", "obgda", "brigado", "brigada", "brigadão",
            "brigadao", "obrigadão", "obrigadao", "muito obrigado", "muito obrigada", "valeu",
            "vlw", "agradeço", "agradeco", "gratidão", "gratidao", "funcionou", "deu certo",
            "resolvido", "voltou a funcionar", "já tá funcionando", "ja ta funcionando", "deu bom",
            "me salvou", "vc é fera", "você é fera", "vc é demais", "você é demais", "tmj",
        ],
        "negative": [
            "não funcionou", "nao funcionou", "n funcionou", "não deu certo", "nao deu certo",
            "não resolveu", "nao resolveu", "não ajudou", "nao ajudou", "continua sem",
            "continua igual", "continua dando", "continua o mesmo", "ainda não funciona",
            "ainda nao funciona", "obrigado por nada", "obrigada por nada", "valeu por nada",
            "vlw por nada", "não, obrigado", "não obrigado", "nao obrigado", "não, obrigada",
            "não obrigada", "nao obrigada", "obrigado mas", "obrigada mas", "obrigado, mas",
            "obrigada, mas", "mesmo assim obrigado", "mesmo assim obrigada", "inútil", "inutil",
            "não serve", "nao serve", "não adianta", "nao adianta", "não adiantou", "nao adiantou",
            "já tentei", "ja tentei", "já fiz isso", "ja fiz isso", "golpe", "spam", "palhaçada",
            "palhacada", "descaso", "lixo", "péssimo", "pessimo", "péssima", "pessima",
            "não é problema meu", "nao e problema meu",
            # Dismissals and switch-brand trolling.
            "muda de operadora", "troca de operadora", "desiste", "bem-vindo ao clube",
            "bem vindo ao clube", "nunca vai funcionar",
        ],
        "chatter": [
            "eu também", "eu tambem", "eu tb", "eu tbm", "comigo também", "comigo tambem",
            "aqui também", "aqui tambem", "aqui tb", "mesmo problema", "o mesmo aqui",
            "mesma coisa aqui", "rsrs", "rsrsrs", "haha",
            "hahaha", "boa sorte", "parabéns", "parabens", "não faço ideia", "nao faco ideia",
            "sei lá", "sei la", "nem eu",
        ],
        "agent": [
            "mensagem privada", "mensagem direta", "manda uma dm", "envie uma dm", "nos envie",
            "nos chama", "chama a gente", "chama no direct", "chama na dm", "sinto muito",
            "lamentamos", "pedimos desculpas", "desculpe o transtorno", "desculpa o transtorno",
            "desculpe pelo transtorno", "sentimos muito", "vamos verificar", "vamos te ajudar",
            "estamos aqui para ajudar", "nosso sac", "nosso atendimento", "nossa equipe",
            "fale com a gente", "conta pra gente", "aguardamos seu contato",
            "ficamos à disposição", "ficamos a disposição", "ficamos a disposicao",
            "estamos à disposição",
        ],
        "business": [
            "nosso novo", "nossa nova", "nossos produtos", "nossas lojas", "nossa loja",
            "nossos clientes", "lançamento", "lancamento", "já disponível", "ja disponivel",
            "disponível agora", "compre já", "compre agora", "garanta já", "garanta o seu",
            "garanta a sua", "confira", "aproveite", "sorteio", "participe", "temos o prazer",
        ],
        "we": [
            "nós", "nosso", "nossa", "nossos", "nossas", "a gente", "sentimos", "lamentamos",
            "estamos", "podemos", "temos", "somos", "ficamos", "pedimos",
        ],
        "i": ["eu", "meu", "minha", "meus", "minhas", "me", "mim", "comigo"],
    },
    "it": {
        "request": [
            "aiuto", "aiutatemi", "aiutami", "qualcuno sa", "qualcuno mi aiuta", "come faccio",
            "come posso", "come si fa", "come mai", "che faccio", "cosa faccio", "cosa devo fare",
            "non funziona", "non funziona più", "non funziona piu", "non va",
            "smesso di funzionare", "non riesco", "non mi fa", "non mi permette", "impossibile",
            "problema", "problemi", "errore", "guasto", "bloccato", "bloccata", "non carica",
            "non si apre", "non si accende", "non parte", "si blocca", "crasha", "senza linea",
            "senza rete", "senza internet", "disservizio", "non è arrivato", "non e arrivato",
            "mai arrivato", "ancora niente", "in ritardo", "rimborso", "addebito", "addebitato",
            "cancellato", "qualche idea", "si riavvia da solo", "si spegne da solo",
        ],
        "fix": [
            "prova a", "prova con", "prova così", "prova cosi", "provate a", "hai provato",
            "avete provato", "riavvia il", "riavvia la", "riavvia lo", "riavviare il",
            "riavviare la", "riavviate", "spegni e riaccendi", "spegnere e riaccendere",
            "spegni il", "stacca la spina", "impostazioni", "vai su", "vai nelle", "andate su",
            "cancella la cache", "svuota la cache", "svuotare la cache", "cancellare la cache",
            "cancella i dati", "disinstalla", "reinstalla", "aggiorna l'app", "aggiorna il",
            "aggiornare l'app", "esci e rientra", "fai logout", "disconnettiti", "tieni premuto",
            "premi il", "premi su", "clicca su", "disattiva la", "disattiva il", "modalità aereo",
            "modalita aereo", "passo 1", "ripristina", "impostazioni di fabbrica",
            "a me ha funzionato", "a me ha risolto", "segui questa guida", "questa guida",
            "questo articolo",
        ],
        "answer": [
            "puoi anche", "puoi chiedere", "potete chiedere", "devi", "bisogna", "ti basta",
            "basta andare", "basta fare", "secondo loro", "chiama il", "chiama l'assistenza", "chiamate il", "contatta",
            "contattate", "scrivi a", "è normale", "e normale", "problema noto", "bug noto",
            "nell'app", "sull'app", "sul sito", "dal sito", "hai diritto", "avete diritto",
            "invece di", "al posto di", "controlla", "sul tuo account", "nel tuo account",
        ],
        # Weak cues ("because"): two make an answer.
        "hint": [
            "dato che", "visto che", "poiché", "poiche", "a quanto pare", "apparentemente",
            "mi hanno detto", "hanno detto che", "dicono che",
        ],
        "thanks": [
            "grazie", "grazie mille", "grazie infinite", "grazie davvero", "grz", "ti ringrazio",
            "vi ringrazio", "la ringrazio", "ora funziona", "adesso funziona", "funziona di nuovo",
            "ha funzionato", "risolto", "problema risolto", "sei un grande", "sei una grande",
            "sei un mito", "sei un genio", "gentilissimo", "gentilissima", "gentilissimi",
        ],
        "negative": [
            "grazie per niente", "grazie di niente", "grazie per nulla", "no grazie", "no, grazie",
            "grazie ma", "grazie, ma", "grazie lo stesso", "grazie comunque", "non ha funzionato",
            "niente da fare", "non risolto", "non ho risolto", "non è servito", "non e servito",
            "non serve", "inutile", "inutili", "non mi ha aiutato", "non aiuta", "già provato",
            "gia provato", "truffa", "truffatori", "spam", "vergogna", "ridicolo", "ridicoli",
            "pessimo", "pessimi", "non è un mio problema", "ma continua", "ma ancora niente",
            "ma non funziona", "però non funziona", "pero non funziona", "ancora niente",
            # Dismissals and switch-brand trolling.
            "benvenuto nel club", "lascia perdere", "cambia operatore", "non funzionerà mai",
        ],
        "chatter": [
            "anche io", "anch'io", "anche a me", "pure io", "pure a me", "idem", "stesso problema",
            "stessa cosa", "ahah", "ahahah", "ahahahah", "haha", "hahaha", "lol", "buona fortuna",
            "in bocca al lupo", "auguri", "complimenti", "non solo io", "siamo in due", "boh",
            "non ne ho idea",
        ],
        "agent": [
            "scrivici", "scriveteci", "inviaci", "mandaci", "contattaci", "ci dispiace",
            "siamo spiacenti", "ci scusiamo", "per il disagio", "verifichiamo", "ti aiutiamo",
            "siamo qui per aiutarti", "restiamo a disposizione", "rimaniamo a disposizione",
            "a tua disposizione", "il nostro servizio clienti", "il nostro team",
            "grazie per averci contattato", "grazie per la segnalazione",
        ],
        "business": [
            "il nostro nuovo", "la nostra nuova", "i nostri prodotti", "i nostri negozi",
            "nostro negozio", "nostri clienti", "scopri", "scoprite", "disponibile ora",
            "ora disponibile", "acquista ora", "ordina ora", "preordina", "concorso", "partecipa",
            "siamo felici", "siamo orgogliosi",
        ],
        "we": [
            "noi", "nostro", "nostra", "nostri", "nostre", "siamo", "abbiamo", "possiamo",
            "restiamo", "verifichiamo", "ci dispiace", "ci scusiamo",
        ],
        "i": ["io", "mio", "mia", "miei", "mie", "mi", "me"],
    },
    # Japanese: matched as substrings (no spaces between words); full-width and half-width
    # forms are the same after NFKC.
    "ja": {
        "request": [
            "できません", "できない", "出来ません", "出来ない", "使えない", "使えません",
            "繋がらない", "つながらない", "繋がりません", "つながりません", "動かない",
            "動きません", "起動しない", "起動しません", "反応しない", "反応しません",
            "表示されない", "表示されません", "見れない", "見られない", "届かない", "届きません",
            "届いていない", "届いてない", "エラー", "不具合", "故障", "障害", "フリーズ", "固まる",
            "固まります", "落ちます", "返金して", "返金されない", "返金されてない", "返金がまだ",
            "教えてください", "教えて下さい", "教えていただけ", "教えてほしい", "誰か教えて",
            "どうすれば", "どうしたら", "どうやって", "どうやったら", "方法を教", "わからない",
            "分からない", "わかりません", "分かりません", "困って", "困った", "困る", "助けて",
            "なぜ", "なんで", "でしょうか", "ますか。", "ですか。", "おかしい", "勝手に再起動",
            "再起動を繰り返", "強制終了される", "アプリが落ちる", "勝手に落ちる",
        ],
        "fix": [
            "再起動してください", "再起動して下さい", "再起動してみて", "再起動してみては",
            "再起動をお試し", "再起動を試", "再起動すると", "再起動すれば", "設定から", "設定を開",
            "設定画面から", "設定画面で", "設定アプリ", "設定→", "設定>", "設定 >",
            "キャッシュを削除", "キャッシュを消", "キャッシュクリア", "キャッシュをクリア",
            "データを削除", "再インストール", "入れ直", "アンインストール",
            "ログアウトしてください", "ログアウトしてみて", "一度ログアウト",
            "サインアウトしてください", "アップデートしてください", "アップデートしてみて",
            "最新版に", "最新バージョンに", "電源を切", "電源を入れ直", "電源を落と",
            "電源ボタンを長押し", "コンセントを抜", "ケーブルを抜", "抜き差し", "挿し直",
            "初期化してください", "初期化してみて", "初期化すると", "リセットしてください",
            "リセットしてみて", "リセットすると", "オフにしてください", "オフにしてみて",
            "オンにしてください", "オンにしてみて", "オフにすると", "機内モードにしてみて",
            "機内モードのオンオフ", "強制停止", "お試しください", "試してみて", "手順",
            "こちらの記事", "こちらのページ", "こちらのリンク", "ヘルプページ", "私はこれで",
            "自分はこれで", "うちはこれで", "私の場合", "自分の場合", "うちの場合",
            "てみてください", "てみて下さい", "てみては", "てみると", "長押しして", "電源を抜",
            "このガイド", "この記事", "このページ", "このリンク",
        ],
        "answer": [
            "仕様です", "仕様みたい", "仕様らしい", "仕様のようです", "だそうです", "らしいです",
            "とのことです", "と言われました", "と言われた", "によると", "既知の不具合",
            "既知の問題", "できますよ", "可能です", "必要があります", "すればいい", "すれば大丈夫",
            "すればok", "ればいいです", "問い合わせてみて", "問い合わせると", "問い合わせたら",
            "に連絡してみて", "に電話してみて", "電話すると", "対応していません", "非対応",
            "返金されます", "大丈夫ですよ", "代わりに", "保存されている", "保存されてる",
        ],
        # Weak cues ("I think", "maybe"): two make an answer.
        "hint": ["たぶん", "多分", "と思います", "と思う", "かもしれません", "かも"],
        "thanks": [
            "ありがと", "有難う", "有り難う", "あざす", "あざっす", "あざます", "あざーす",
            "サンキュー", "サンクス", "感謝します", "感謝です", "感謝しています", "感謝してます",
            "感謝いたします", "感謝しかない", "助かりました", "助かった", "解決しました",
            "解決できました", "直りました", "治りました", "なおりました", "直った", "治った",
            "使えるようになりました", "できるようになりました", "繋がりました", "つながりました",
            "ログインできました", "改善しました", "改善されました", "お礼申し上げます",
            "お世話になりました", "神対応",
        ],
        "negative": [
            "(棒)", "余計なお世話", "役に立たない", "役に立ちません", "役立たず", "意味ない",
            "意味がない", "意味なかった", "直らなかった", "直りませんでした", "直りません",
            "直らないです", "直らないんです", "全然直らない", "直らず", "治らなかった",
            "治りませんでした", "治りません", "改善しなかった", "改善しませんでした",
            "改善しません", "改善されなかった", "改善されませんでした", "改善されません",
            "改善されず", "解決しなかった", "解決しませんでした", "解決しません", "解決せず",
            "変わらなかった", "変わりませんでした", "変わりません", "ダメでした", "だめでした",
            "駄目でした", "無理でした", "効果なし", "効果がなかった", "効果ありませんでした",
            "試しましたが", "やってみましたが", "試したけど", "やってみたけど", "詐欺", "スパム",
            "ふざけるな", "ふざけんな", "最悪", "変わらないです", "変わらないんです",
        ],
        "chatter": [
            "私も", "僕も", "俺も", "自分も", "うちも", "同じく", "同じです", "同じ症状",
            "同じ現象", "同じ状態", "同じ状況", "同じ問題", "(笑)", "笑笑", "わろた", "ワロタ",
            "それな", "おめでとう", "頑張って", "がんばって",
        ],
        "agent": [
            "dmにて", "dmでご連絡", "dmをお送りください", "ダイレクトメッセージにて",
            "ダイレクトメッセージでご連絡", "お手数ですが", "お手数をおかけ", "ご不便をおかけ",
            "ご迷惑をおかけ", "ご心配をおかけ", "恐れ入ります", "存じます", "ご遠慮なく",
            "かしこまりました", "ご参照ください", "ご案内させていただ", "確認させていただ",
            "お問い合わせください", "お知らせください", "お問い合わせいただき", "ご連絡いただき",
            "お問い合わせありがとう", "ご連絡ありがとう", "担当:", "(担当",
        ],
        "business": [
            "新発売", "新製品", "新商品", "新登場", "発売中", "好評発売", "予約受付中", "予約開始",
            "発売開始", "キャンペーン実施中", "キャンペーン開催", "プレゼントキャンペーン",
            "フォロー&リツイート", "フォロー&rt", "ぜひチェック", "詳しくはこちら", "詳細はこちら",
            "公式オンラインストア", "ご来店",
        ],
        "we": [
            "弊社", "当社", "私たち", "私ども", "わたしたち", "我々", "われわれ", "弊店", "当店",
        ],
        "i": [
            "私は", "私の", "私が", "私も", "私に", "私を", "わたしは", "わたしの", "僕", "俺",
            "あたし", "自分は",
        ],
    },
}


# Why a built-in phrase that matches fewer than three of the project's shared real texts is
# still a general construct of its language, not a rule written for one tweet
# (tests/test_phrase_generality.py counts every phrase over every shared real text and fails
# for a phrase with fewer than three matches and no reason here). Keys: "lang", "lang:role" or
# "lang:role:phrase" (English, where the texts are: each rare phrase named, with its reason);
# a whole other language, whose texts the project does not have. A phrase taken from a single tweet has no place
# here: it is removed (issue 17 removed "only customers", "is premium rate", "is inclusive",
# "stick with it", "has to be reported", "said to me", "ta", "not just us", "on the side",
# "run head", "printer menu", "our mince pies", "it's a lifestyle" and others).
_OTHER_LANGUAGE = ("the shared real texts are English (TWCS, Reddit comments, English tweets, "
                   "SAP forum posts), so no phrase in this list can be counted there; every "
                   "one is an everyday expression of the language for its role, from the same "
                   "constructs as the English lists, none written from a tweet")
_RARE: list[tuple[str, str, str, list[str]]] = [
    ("any", "chatter", "laughing emoji, one of a family (😂 🤣 😹): laughter, not content",
     ["😹"]),
    ("en", "agent", "the boilerplate of brand support accounts (apologies, invitations to DM), "
     "as support style guides write it", ["drop us a dm", "we apologise"]),
    ("en", "agent", "one construct with 'contact our' and 'call our' (11 and 4 real matches): "
     "an agent sending the customer to their own team by another verb", [
         "phone our", "speak to our", "speak with our"]),
    ("en", "business", "retail marketing boilerplate (calls to order, announcements, "
     "'our products/range/offer')", [
         "excited to announce", "order now", "our deals", "our offer", "our products",
         "our range", "pre-order now", "preorder now", "proud to announce", "shop now",
         "we are excited"]),
    ("en", "request", "everyday fault reports and pleas for help in support traffic", [
        "any fix", "doesn't let me", "help pls", "help plz", "keeps crashing",
        "keeps dropping", "never arrived", "no signal", "overcharged", "wrong item"]),
    ("en", "fix", "the standard steps of consumer troubleshooting, in imperative form (sign "
     "out and back in, clear the cache, re-add, pair, a settings path)", [
         "add it again", "clear cache", "clear the cache", "clearing the cache",
         "clearing your cache", "connect it", "fixed it for me", "force a restart",
         "from the menu", "heres how", "hold down", "log back in", "log out", "pair it",
         "plug it", "re-add", "set it up again", "settings >", "settings app", "sign out",
         "unplugging it"]),
    ("en", "answer", "how people pass on a fact or a pointer: opening hours, where a thing "
     "is, who can help, a known bug, what fixed theirs", [
         "closes at", "dm them", "email them", "fixed mine", "in your account", "is a known",
         "it's a known", "it's under", "known bug", "might be able to help", "open until",
         "opens at", "ring them", "same happened to me", "sorted mine", "that's what fixed",
         "the number is", "the trick is", "they close", "they open", "what fixed it",
         "what worked", "will be able to help", "you get charged"]),
    ("en", "chatter", "conversational fillers and empty offers", [
        "not just me", "same thing here", "what do you need", "wym"]),
    ("en", "negative", "sarcastic thanks (a positive phrase beside a negative situation, "
     "Riloff et al. 2013), reports that it still fails, dismissals and brand-switch trolling, "
     "mock advice: each an idiom", [
         "'help'", "buy a better", "buy a real", "cancel and go", "cancel your contract",
         "change provider", "change providers", "cry about it", "didnt help", "dont bother",
         "gee thanks", "gee, thanks", "get a better", "get a real phone", "get an android",
         "get an iphone", "hasn't worked", "hitting it", "it'll never work", "made it worse", "never be fixed",
         "never going to work", "never gonna work", "never worked", "nobody asked", "now it won't",
         "shouting at it", "skill issue", "still broken", "still does not", "swearing at it",
         "switch carriers", "switch networks", "switch provider", "switch providers",
         "switch to android", "switch to iphone", "thank you for nothing", "captain obvious",
         "thank you for trying",
         "thank you i guess", "thanks a lot for nothing", "thanks but", "thanks for ignoring",
         "thanks for nothing", "thanks for the help, not", "thanks for the late",
         "thanks for the quick response, not", "thanks for the slow", "thanks for the wait",
         "thanks for waiting", "thanks for wasting", "thanks genius", "thanks i guess",
         "thanks, genius", "thanks... i guess", "that's wrong", "thats wrong",
         "throw it out the window", "touch grass", "user error", "very helpful, not",
         "will never work", "yeah thanks", "yelling at it"]),
    ("en", "thanks", "common confirmations that a fix worked", [
        "all good now", "did the trick", "life saver", "lifesaver", "that did it",
        "that fixed it", "tysm", "you're a star", "youre a star", "i owe you", "owe you one",
        "you're a genius", "youre a genius"]),
]
GENERAL: dict[str, str] = {
    **{lang: f"{name}: {_OTHER_LANGUAGE}" for lang, name in (
        ("es", "Spanish"), ("id", "Indonesian"), ("fr", "French"), ("de", "German"),
        ("pt", "Portuguese"), ("it", "Italian"), ("ja", "Japanese"))},
    **{f"{lang}:{role}:{p}": why for lang, role, why, phrases in _RARE for p in phrases},
}


def why_general(lang: str, role: str, phrase: str) -> str | None:
    """The reason a rare built-in phrase is general (``GENERAL``), or None."""
    for key in (f"{lang}:{role}:{phrase}", lang):
        if key in GENERAL:
            return GENERAL[key]
    return None
