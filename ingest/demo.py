"""A seeded demo support community, written as twarc2 JSONL so it goes through the real importer.

The brand Acme answers customers through @AcmeHelp (English, and French, German, Portuguese,
Italian and Japanese customers write to it too), @AcmeAyuda (Spanish) and @AcmeBantu
(Indonesian); @Acme itself posts promotions and giveaways. Around it: customers with problems,
and planted **champions** who answer them with content (steps, an explanation, a pointer to the
help site or to the brand), are thanked by the person they helped (a reply to the answer), and
spread Acme's fix tweets. Champions vary the way real helpers do: a few very active, many
occasional (three to six people answered in the ranking window), some in one language only, some
thanked often and some rarely. Among them, the look-alikes a real support community has:

* ``complainer``: loud high-follower complainers, who tweet a lot and draw replies but help nobody;
* ``fan``: promo fans, who retweet and praise Acme's promotions (not its fixes);
* bots, which retweet every brand tweet within seconds (some say so in their bio, some do not);
* ``asker``: frequent askers, who ask and thank a lot;
* ``troll``: trolls, who reply to requests with snark and get told off;
* ``dropper``: link droppers, who paste a help link under every request and are rarely thanked;
* staff, whose personal accounts help a lot (configured as ``staff_handles``);
* ``casual``: casual helpers, who answer once or twice;
* ``banter``: chatty customers: "lol same" under requests, jokes, giveaway entries and their
  back-and-forth, praise threads ("which colour did you get?" "the green one 💚" "nice, thanks!");
* ``business``: retailers and repair partners that are not support handles: "our new range",
  "our stores", promos, and first-person-plural replies to customers (some get thanked);
* ``staff_voice``: support agents on personal, unconfigured accounts, answering in brand voice
  and signing with their initials ("Please DM us your order number ^KM");
* ``ring``: gaming rings of four to six new accounts asking each other fake questions, answering
  with copied fixes and thanking each other, talking to no one else (``rings`` in the truth).

Activity is per account, not per tweet: a bigger community has more people, not busier ones.
The truth (who was planted as what) is written beside the JSONL as ``.truth.json``.

Dates are relative to a base day, ``DemoSpec.today`` (default: today, UTC): the tweets fill the
``DAYS`` days before it, so a freshly made demo looks current (its newest tweets are from the
hours just before today began, and its ranking window ends there). The same seed and the same
day give the same file, byte for byte; another day gives the same community moved in time.
"""

from __future__ import annotations

import gc
import json
import random
import re
from dataclasses import dataclass, field
from bisect import bisect
from datetime import date, datetime, timezone
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

__all__ = ["SIZES", "DemoSpec", "generate_demo", "DEMO_SETTINGS"]

SIZES = {"tiny": 3_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
DAYS = 120
WINDOW_DAYS = 90  # the ranking's default window: planted counts are for the last 90 days
MIN_THANKS = 2    # thanks every champion gets in the window from people they helped
TWITTER_EPOCH_MS = 1288834974657

BRANDS = {"en": "AcmeHelp", "es": "AcmeAyuda", "id": "AcmeBantu"}
MAIN_BRAND = "Acme"
STAFF = ["acme_jordan", "acme_priya", "acme_luis"]
FIX_DOMAINS = ["help.acme.example", "community.acme.example"]
DEMO_SETTINGS = {"support_handles": [*BRANDS.values(), MAIN_BRAND], "staff_handles": STAFF,
                 "fix_domains": FIX_DOMAINS}

LANGS = ("en", "es", "id", "fr", "de", "pt", "it", "ja")
LANG_WEIGHTS = (50, 16, 10, 5, 5, 5, 5, 4)
_LANG_CUM = list(accumulate(LANG_WEIGHTS))
X_LANG = {"id": "in"}  # X tags Indonesian "in" (the old ISO 639 code); the rest as they are
# Champions' first languages, in turn: even the tiny demo has English and Spanish champions.
CHAMPION_LANGS = ("en", "es", "en", "id", "fr", "en", "es", "de", "en", "pt", "ja", "it")

# ---------------------------------------------------------------------------------------------
# Wording. Every language has the help loop (request, answer, follow-up, thanks, negative, brand
# reply); the busier languages have more. A fault always fits its thing.

PROBLEMS = {
    "en": [("router", ["keeps dropping wifi", "restarts itself every night",
                       "is blinking orange", "won't connect to 5GHz"]),
           ("phone", ["won't charge past 80%", "keeps freezing", "is stuck on the logo",
                      "drains the battery overnight", "restarts randomly"]),
           ("app", ["crashes on launch", "keeps logging me out", "won't load my account",
                    "is stuck on the spinner"]),
           ("printer", ["says it's offline", "only prints blank pages",
                        "won't print from my phone"]),
           ("smart speaker", ["keeps dropping wifi", "stopped responding", "won't pair"]),
           ("laptop", ["won't charge", "freezes after sleep", "gets really hot"]),
           ("watch", ["won't sync", "won't pair with my phone", "dies by lunchtime"])],
    "es": [("router", ["se desconecta cada dos por tres", "se reinicia solo"]),
           ("móvil", ["no carga", "se queda colgado", "se reinicia solo"]),
           ("app", ["se cierra al abrirla", "no me deja iniciar sesión"]),
           ("impresora", ["sale como desconectada", "no imprime nada"]),
           ("portátil", ["no carga", "se bloquea cada poco"])],
    "id": [("router", ["putus-putus terus", "sering restart sendiri"]),
           ("HP", ["nggak bisa dicas", "sering nge-hang", "mati sendiri"]),
           ("aplikasi", ["force close terus", "nggak bisa login"]),
           ("printer", ["offline terus", "nggak mau ngeprint"]),
           ("laptop", ["nggak mau ngecas", "panas banget"])],
    "fr": [("box", ["se déconnecte sans arrêt", "redémarre en boucle"]),
           ("téléphone", ["ne charge plus", "se fige", "reste bloqué sur le logo"]),
           ("appli", ["plante au démarrage", "me déconnecte sans arrêt"]),
           ("imprimante", ["est hors ligne", "n'imprime plus"])],
    "de": [("Router", ["verliert ständig das WLAN", "startet dauernd neu"]),
           ("Handy", ["lädt nicht mehr", "friert ständig ein", "hängt beim Logo"]),
           ("Tablet", ["stürzt beim Start ab", "geht einfach aus"]),
           ("Drucker", ["ist offline", "druckt nur leere Seiten"])],
    "pt": [("roteador", ["fica caindo o wifi", "reinicia sozinho"]),
           ("celular", ["não carrega mais", "trava toda hora", "fica preso no logo"]),
           ("app", ["fecha sozinho", "não deixa eu entrar na conta"]),
           ("notebook", ["não carrega", "esquenta demais"])],
    "it": [("router", ["perde il wifi in continuazione", "si riavvia da solo"]),
           ("telefono", ["non si carica più", "si blocca", "resta fermo sul logo"]),
           ("tablet", ["si blocca all'avvio", "non si accende più"]),
           ("portatile", ["non si carica", "si surriscalda"])],
    "ja": [("ルーター", ["頻繁に切断される", "勝手に再起動する"]),
           ("スマホ", ["充電できない", "フリーズする", "ロゴから進まない"]),
           ("アプリ", ["起動してすぐ落ちる", "ログインできない"]),
           ("プリンター", ["オフラインになる", "白紙しか印刷されない"])],
}

T: dict[str, dict[str, list[str]]] = {
    "en": {
        "request": ["@{brand} my {thing} {fault} since the update, any fix?",
                    "@{brand} hi, my {thing} {fault}. Already turned it off and on again, what "
                    "else can I try?",
                    "anyone know why my {thing} {fault}? @{brand}",
                    "@{brand} help!! my {thing} {fault} and I have a deadline tomorrow",
                    "@{brand} is this a known issue? my {thing} {fault} 😩",
                    "@{brand} my {thing} {fault} AGAIN. how do I fix this for good?",
                    "does anyone else's {thing} do this after 4.2? it {fault} and I can't work "
                    "out why",
                    "@{brand} got the {thing} 2 weeks ago and it {fault}. what do I do?",
                    "ok so my {thing} {fault}. any ideas before I throw it out the window? "
                    "@{brand}"],
        "fix": ["this guide sorted it for me: https://{domain}/kb/{kb}",
                "update the firmware first (Settings > About > Update), then restart the {thing}",
                "it's a known bug in 4.2, a patch is coming. for now turning off auto-update "
                "stops it",
                "DM @AcmeHelp with the serial number, they replaced mine within 3 days",
                "if it's under 2 years old it's covered, ask @AcmeHelp for a warranty swap",
                "the help site has a step-by-step for exactly this: https://{domain}/kb/{kb}",
                "go into the {thing} settings > Advanced and switch off power saving. that was it "
                "for me"],
        "fix_open": ["", "", "", "had the same! ", "ugh, that one. ", "hey, ",
                     "oh I had this last month. ", "not sure it's the same thing but ",
                     "same happened to me after the update. "],
        "fix_close": ["", "", "", " hope that helps", " 🤞", " good luck!",
                      " let me know if it works", " worked for me anyway",
                      " (took me ages to find)"],
        "followup": ["where's that? I can't find it in settings",
                     "do I lose my data if I do that?", "the button on the back?",
                     "will that void the warranty?"],
        "followup_answer": ["it's under Settings > General > Advanced, right at the bottom",
                            "no, your stuff is backed up to your account, it all comes back",
                            "yep, the tiny one next to the power port. you need a pin or a "
                            "paperclip",
                            "no, it's a normal reset, the warranty stays"],
        "thanks": ["thanks, that worked!", "that did the trick, thank you 🙏",
                   "legend, all good now", "it worked!! much appreciated",
                   "fixed it, thanks so much", "omg thank you, been trying for days",
                   "cheers, sorted", "you're a star, working again", "thx!! back up and running",
                   "Thank you! didn't know about that setting", "that was it. thank you!"],
        "maybe": ["ok will try that tonight", "thanks, will give it a go",
                  "hmm ok, I'll try when I get home"],
        "negative": ["didn't work, still broken", "no luck, same problem",
                     "that made it worse tbh", "tried that, still the same 😕"],
        "also_thanks": ["this helped me too, thanks!", "saving this, same problem here. thanks",
                        "worked for me as well 👍"],
        "brand_fix": ["Is your {thing} {fault2}? Here's how to fix it in two minutes: "
                      "https://{domain}/kb/{kb}",
                      "Known issue: {thing} {fault2} after 4.2. Workaround: restart in safe "
                      "mode. Steps: https://{domain}/kb/{kb}",
                      "Tip of the week: keep your {thing} on the latest update. How to check: "
                      "https://{domain}/kb/{kb}"],
        "brand_reply": ["@{who} sorry about that! Please try resetting the {thing}: "
                        "https://{domain}/kb/{kb}",
                        "@{who} we're sorry to hear this. Can you DM us your account number?",
                        "@{who} thanks for reaching out, we're looking into it",
                        "@{who} Hi there, sorry to hear that. Have you tried restarting the "
                        "{thing}? If it continues, please DM us.",
                        "@{who} Thanks for letting us know. Please send us a DM with your serial "
                        "number so we can take a look."],
        "to_brand": ["@{who} DM sent", "@{who} done, check your DMs",
                     "@{who} still waiting for a reply to my DM…", "@{who} ok thanks"],
        "brand_thanks_helper": ["@{who} thanks for helping out, you're a star!",
                                "@{who} thank you for sharing the fix!",
                                "@{who} great advice, thanks for jumping in 💙"],
        "promo": ["Meet the new Acme {thing} Pro, out today! 🎉",
                  "Big weekend sale on every {thing}. Don't miss it!",
                  "Our {thing} just won product of the year!",
                  "New colours just dropped for the Acme {thing} 🎨"],
        "fan": ["Love my new Acme {thing}! ❤️", "Best {thing} I've ever owned, Acme rocks",
                "Can't wait for the {thing} Pro!!", "need this in green asap 😍"],
        "fan_thanks": ["@{who} thanks for the love! ❤️", "@{who} so glad you love it! 🙌"],
        "complaint": ["@{brand} worst service ever. my {thing} {fault} AGAIN. Fix it!",
                      "@{brand} three days now my {thing} {fault}. Unacceptable.",
                      "Never buying Acme again, the {thing} {fault} every single day @{brand}",
                      "@{brand} 40 minutes on hold and nobody can tell me why my {thing} {fault}. "
                      "Shocking."],
        "complaint_end": ["@{brand} finally fixed, thanks",
                          "@{brand} still broken. Still waiting."],
        "troll": ["@{who} lol just buy a better {thing}", "@{who} not my problem mate",
                  "@{who} imagine paying for this", "@{who} skill issue"],
        "troll_reply": ["@{who} nobody asked", "@{who} useless comment", "@{who} shut up"],
        "link_drop": ["@{who} https://{domain}/kb/{kb}", "@{who} read this https://{domain}",
                      "@{who} https://{domain}"],
        "quote": ["This fixed it for me, pass it on 👇", "Saved me a support call. Worth a read",
                  "If your {thing} {fault}, this is the fix", "bookmark this one"],
        "share": ["PSA: if your {thing} {fault}, this guide fixes it: https://{domain}/kb/{kb}",
                  "Tip for anyone whose {thing} {fault}: https://{domain}/kb/{kb}",
                  "Finally worked out why my {thing} {fault}: power saving. Settings > Advanced "
                  "> off. You're welcome"],
        "chatter": ["Coffee first, then emails", "What a game last night!",
                    "Anyone watching the new series?", "Monday again...", "Finally Friday 🎉",
                    "the train is late again, shocking", "new week new me (not really)",
                    "is it lunch yet"],
        "chat_reply": ["@{who} haha so true", "@{who} same 😂", "@{who} lol", "@{who} ikr",
                       "@{who} don't get me started", "@{who} 100%"],
        "chat_back": ["@{who} 😂", "@{who} haha", "@{who} exactly"],
        "same": ["@{who} same here!", "@{who} me too, so annoying", "@{who} lol same",
                 "@{who} +1, mine too since tuesday", "@{who} glad it's not just me 😂",
                 "@{who} welcome to the club lol", "@{who} mine has trust issues too 😂"],
        "same_back": ["@{who} haha misery loves company", "@{who} lol thanks, at least it's not "
                      "just me", "@{who} 😂😂", "@{who} ugh right?!"],
        "praise": ["Love my new Acme {thing}! ❤️", "ok the new Acme {thing} is actually amazing",
                   "finally got the {thing} Pro 😍", "unboxing my new Acme {thing} 📦✨",
                   "been using the Acme {thing} for a week, obsessed"],
        "praise_reply": ["@{who} jealous!!", "@{who} looks amazing 😍", "@{who} ooh enjoy!",
                         "@{who} lol you said you'd never buy one", "@{who} congrats!! 🎉"],
        "praise_q": ["@{who} which colour did you get?", "@{who} how's the battery?",
                     "@{who} is it worth the upgrade?"],
        "praise_a": ["@{who} the green one 💚", "@{who} so good, lasts 2 days",
                     "@{who} 100% worth it"],  # one for one with praise_q
        "praise_end": ["@{who} nice!!", "@{who} ok now I want one",
                       "@{who} lol thanks, adding it to my wishlist"],
        "joke": ["my {thing} {fault} so I guess I'm going outside today 🙃",
                 "the {thing} {fault} again, it's a lifestyle at this point",
                 "plot twist: the {thing} {fault} on the one day I actually need it 😂"],
        "joke_reply": ["@{who} lol same", "@{who} 😂😂", "@{who} have you tried yelling at it",
                       "@{who} honestly same energy", "@{who} touch grass era"],
        "joke_back": ["@{who} lmao it worked", "@{who} 😂 never", "@{who} haha"],
        "contest": ["🎉 GIVEAWAY! Win a brand new Acme {thing}. Reply with #AcmeWin and tag a "
                    "friend. Ends Sunday!",
                    "It's our birthday 🎂 To celebrate we're giving away five Acme gadgets. Reply "
                    "#AcmeWin to enter!"],
        "contest_entry": ["#AcmeWin I'd give it to my mum, hers is ancient",
                          "#AcmeWin pick me pick me 🙏", "done ✅ #AcmeWin @{friend}",
                          "#AcmeWin @{friend} we need this",
                          "#AcmeWin my old one died last week so this would be perfect timing",
                          "#AcmeWin 🤞🤞🤞", "entered! #AcmeWin"],
        "contest_reply": ["@{who} lol you enter every one of these", "@{who} good luck!! 🍀",
                          "@{who} if you win I'm borrowing it", "@{who} not if I win first 😤"],
        "contest_back": ["@{who} thanks, you too! 🍀", "@{who} haha never", "@{who} 😂 deal"],
        "contest_win": ["@{who} Congrats, you're our winner! 🎉 DM us your details",
                        "@{who} You won! 🥳 Check your DMs"],
        "contest_thanks": ["@{who} OMG thank you!!! 😭🎉", "@{who} no way!! thank you so much"],
        "business_post": ["The new Acme range has landed in all our stores 🎉",
                          "We're open late every Thursday this month, pop in and try the new "
                          "Acme {thing}!",
                          "🎁 GIVEAWAY: RT & follow us to win an Acme {thing}! We'll pick a "
                          "winner on Friday",
                          "Need a hand setting up your new {thing}? Our team will do it for free "
                          "in any of our stores",
                          "This weekend only: 20% off the whole Acme range in our stores and "
                          "online",
                          "We're proud to be an official Acme partner! Our repair team can now "
                          "fix your {thing} the same day"],
        "business_q": ["@{who} is it in stock in {city}?", "@{who} what time do you close on "
                       "Sunday?", "@{who} do you price match?",
                       "@{who} does it come with a charger?"],
        "business_a": ["@{who} Hi! Yes, our {city} store has plenty in stock 😊",
                       "@{who} We're open 10-4 on Sundays, see you there!",
                       "@{who} We do! Just bring the advert into any of our stores",
                       "@{who} Yes, it's all in the box. Our team can show you in store 👍"],
        # (business_q and business_a go together, one for one)
        "business_end": ["@{who} great, thanks!", "@{who} perfect, thank you",
                         "@{who} cheers, I'll pop in"],
        "business_help": ["@{who} Sorry to hear that! Pop into any of our stores and our tech "
                          "team will take a look for free",
                          "@{who} Hi! We'd recommend a factory reset, our staff can do it for "
                          "you in store, no appointment needed",
                          "@{who} We're seeing this a lot since the update! Our in-store team "
                          "can reinstall the software for you, takes 20 mins",
                          "@{who} We've had a few customers with this since the update. A reset "
                          "usually sorts it, happy to help in store!",
                          "@{who} Our repair team fixes this the same day 🔧 Book at any of our "
                          "stores"],
        "business_thanks": ["@{who} thanks, will pop in saturday", "@{who} ah thanks, might do "
                            "that", "@{who} thank you! the reset worked"],
        "agent": ["@{who} Sorry about that! Please DM us your order number and we'll take a "
                  "look {sig}",
                  "@{who} We'd like to help, send us a DM {sig}",
                  "@{who} That's not the experience we want for you. DM us your account email "
                  "and we'll sort it {sig}"],
        "agent_back": ["@{who} thanks, DM sent", "@{who} done, sent you a DM",
                       "@{who} ok thanks, will do"],
        "agent_info": ["@{who} Thanks for reaching out! We're aware of this and working on a fix. "
                       "Follow @AcmeHelp for updates {sig}",
                       "@{who} Sorry for the trouble! This is a known issue with 4.2 and a fix is "
                       "on its way this week {sig}"],
        "agent_info_back": ["@{who} ok thanks for letting me know", "@{who} any idea when?",
                            "@{who} thanks, fingers crossed"],
        "agent_q": ["@{who} Hi! Send us a DM and we'll check that for you {sig}",
                    "@{who} Good question! DM us your model number and we'll confirm {sig}"],
        "agent_q_back": ["@{who} thanks, DM sent", "@{who} will do, thanks"],
        "brand_q": ["@{who} Hi! Good question, send us a DM and we'll check that for you.",
                    "@{who} Hi there! Please DM us your model number and we'll confirm."],
        "agent_steps": ["@{who} Hi there, sorry for the trouble with your {thing}. Could you try "
                        "a restart? If it keeps happening, DM us {sig}",
                        "@{who} Hi! Please try resetting the {thing} with these steps: "
                        "https://{domain}/kb/{kb} Let us know how it goes {sig}"],
        "agent_steps_back": ["@{who} thank you! the reset worked", "@{who} ok I'll try that, "
                             "thanks", "@{who} tried it, still the same 😕"],
    },
    "es": {
        "request": ["@{brand} mi {thing} {fault} desde la actualización, ¿alguna solución?",
                    "¿Alguien sabe por qué mi {thing} {fault}? @{brand}",
                    "@{brand} hola, mi {thing} {fault} y ya he probado a reiniciar. ¿Qué más "
                    "puedo hacer?",
                    "@{brand} ayuda por favor, mi {thing} {fault} y me hace falta para trabajar",
                    "@{brand} ¿es un fallo conocido? mi {thing} {fault} 😩",
                    "@{brand} otra vez: mi {thing} {fault}. ¿Cómo lo arreglo?"],
        "fix": ["mantén pulsado el botón de reset 10 segundos y luego desenchúfalo un minuto",
                "ve a Ajustes > Red > Avanzado y desactiva el ahorro de energía, a mí me funcionó",
                "cierra sesión, borra la caché y vuelve a entrar",
                "esta guía me lo solucionó: https://{domain}/kb/{kb}",
                "primero actualiza el firmware y después reinicia",
                "es un fallo conocido de la 4.2, sacan parche pronto. Mientras, desactiva las "
                "actualizaciones automáticas",
                "escríbele por DM a @AcmeAyuda con el número de serie, a mí me lo cambiaron en "
                "3 días",
                "si tiene menos de 2 años entra en garantía, pídeselo a @AcmeAyuda",
                "apágalo todo, espera un minuto y enciende primero el router. Así se me arregló"],
        "fix_open": ["", "", "¡me pasó lo mismo! ", "uf, ese fallo. ", "hola, "],
        "fix_close": ["", "", " ¡suerte!", " 🤞", " ya me cuentas"],
        "followup": ["¿dónde está eso? no lo encuentro", "¿se borran mis datos si hago eso?"],
        "followup_answer": ["en Ajustes > General > Avanzado, abajo del todo",
                            "no, está todo guardado en tu cuenta, se recupera solo"],
        "thanks": ["¡gracias, funcionó!", "mil gracias, ya funciona", "resuelto, eres un crack",
                   "¡funcionó! muchas gracias 🙏", "gracias, ya va perfecto"],
        "maybe": ["vale, lo pruebo esta noche", "gracias, luego lo intento"],
        "negative": ["no funcionó, sigue igual", "no sirve, mismo problema",
                     "lo probé y nada, sigue igual"],
        "also_thanks": ["¡a mí también me sirvió, gracias!"],
        "brand_fix": ["¿Tu {thing} {fault2}? Así se soluciona: https://{domain}/kb/{kb}",
                      "Fallo conocido en la 4.2: si tu {thing} {fault2}, sigue estos pasos: "
                      "https://{domain}/kb/{kb}"],
        "brand_reply": ["@{who} lo sentimos, prueba a reiniciarlo: https://{domain}/kb/{kb}",
                        "@{who} escríbenos por DM, por favor",
                        "@{who} ¡Hola! Sentimos las molestias. ¿Nos envías un DM con tu número "
                        "de pedido?"],
        "to_brand": ["@{who} enviado por DM", "@{who} sigo esperando respuesta…"],
        "brand_thanks_helper": ["@{who} ¡gracias por ayudar a la comunidad!"],
        "quote": ["A mí me funcionó, compartidlo 👇", "Si vuestro {thing} falla, esta es la "
                  "solución"],
        "share": ["Consejo: si tu {thing} {fault}, esta guía lo arregla: https://{domain}/kb/{kb}"],
        "chatter": ["Lunes otra vez…", "Primero café, luego correos ☕", "¡Por fin viernes!",
                    "Qué partidazo anoche"],
        "chat_reply": ["@{who} jajaja total", "@{who} ya ves", "@{who} jaja"],
        "chat_back": ["@{who} 😂", "@{who} jajaja"],
        "same": ["@{who} yo también 😩", "@{who} jajaja igual", "@{who} a mí me pasa lo mismo",
                 "@{who} somos dos"],
        "same_back": ["@{who} jajaja al menos no soy la única", "@{who} 😂😂"],
        "praise": ["¡Me encanta mi nuevo {thing} de Acme! ❤️", "Por fin tengo el {thing} Pro 😍"],
        "praise_reply": ["@{who} ¡qué envidia!", "@{who} disfrútalo!", "@{who} qué chulo 😍"],
        "praise_q": ["@{who} ¿de qué color lo pillaste?", "@{who} ¿qué tal la batería?"],
        "praise_a": ["@{who} el verde 💚", "@{who} genial, me dura dos días"],
        "praise_end": ["@{who} ¡qué bien!", "@{who} vale, gracias, me lo apunto"],
        "joke": ["mi {thing} {fault}, supongo que hoy toca salir a la calle 🙃"],
        "joke_reply": ["@{who} jajaja igual", "@{who} 😂😂"],
        "joke_back": ["@{who} jajaja"],
        "contest_entry": ["#AcmeWin ¡me encantaría! 🙏", "#AcmeWin @{friend} mira esto",
                          "participando 🤞 #AcmeWin"],
        "contest_reply": ["@{who} ¡suerte! 🍀", "@{who} jaja siempre participas"],
        "contest_back": ["@{who} ¡gracias, igualmente! 🍀"],
        "contest_thanks": ["@{who} ¡no me lo creo! ¡muchísimas gracias! 😭"],
        "business_post": ["¡Ya tenemos la nueva gama Acme en todas nuestras tiendas! 🎉",
                          "Este fin de semana, 20% de descuento en toda la gama Acme en nuestras "
                          "tiendas",
                          "🎁 SORTEO: da RT y síguenos para ganar un {thing} Acme"],
        "business_q": ["@{who} ¿lo tenéis en la tienda de {city}?", "@{who} ¿a qué hora cerráis "
                       "el domingo?"],
        "business_a": ["@{who} ¡Hola! Sí, en nuestra tienda de {city} nos quedan unidades 😊",
                       "@{who} Los domingos abrimos de 10 a 14, ¡te esperamos!"],
        "business_end": ["@{who} ¡genial, gracias!", "@{who} perfecto, gracias"],
        "business_help": ["@{who} ¡Vaya! Pásate por cualquiera de nuestras tiendas y nuestro "
                          "equipo técnico lo revisa gratis",
                          "@{who} Te recomendamos un restablecimiento de fábrica; en tienda te lo "
                          "hacemos sin cita"],
        "business_thanks": ["@{who} gracias, me paso el sábado"],
        "agent": ["@{who} ¡Lo sentimos! Escríbenos por DM con tu número de pedido y lo revisamos "
                  "{sig}",
                  "@{who} Queremos ayudarte, envíanos un DM {sig}"],
        "agent_back": ["@{who} gracias, ya os escribí por DM"],
        "agent_steps": ["@{who} Hola, sentimos las molestias. ¿Has probado a reiniciarlo? Si "
                        "sigue igual, escríbenos por DM {sig}"],
        "agent_steps_back": ["@{who} ¡gracias! ya funciona", "@{who} lo pruebo, gracias"],
        "agent_q": ["@{who} ¡Hola! Escríbenos por DM y lo miramos contigo {sig}"],
        "agent_q_back": ["@{who} gracias, ya os escribí"],
        "brand_q": ["@{who} ¡Hola! Escríbenos por DM y lo revisamos contigo."],
    },
    "id": {
        "request": ["@{brand} min, {thing} saya {fault} sejak update, ada solusinya?",
                    "@{brand} kak, {thing} saya {fault}. harus gimana ya?",
                    "ada yang tau kenapa {thing} {fault}? @{brand}",
                    "@{brand} tolong dong, {thing} saya {fault} padahal baru beli minggu lalu",
                    "{thing} saya {fault} dari kemarin, ada yang sama? @{brand}"],
        "fix": ["coba tahan tombol reset 10 detik, terus cabut listriknya semenit",
                "masuk ke Pengaturan > Jaringan > Lanjutan, matiin mode hemat daya. aku gitu "
                "langsung beres",
                "logout dulu, hapus cache, terus login lagi",
                "aku pake panduan ini: https://{domain}/kb/{kb}",
                "update firmware-nya dulu kak, baru restart",
                "itu bug di versi 4.2, katanya patch-nya minggu depan. sementara matiin update "
                "otomatis",
                "DM aja @AcmeBantu kak, punyaku diganti unit baru dalam 3 hari"],
        "fix_open": ["", "", "aku juga pernah gini kak, ", "sama kayak aku kemarin. ",
                     "halo kak, "],
        "fix_close": ["", "", " semoga membantu ya", " 🙏", " moga berhasil"],
        "followup": ["menu itu di mana ya kak? nggak ketemu", "datanya nggak hilang kan kak?"],
        "followup_answer": ["di Pengaturan > Umum > Lanjutan, paling bawah kak",
                            "nggak kak, semua kesimpan di akun, nanti balik sendiri"],
        "thanks": ["makasih kak, berhasil!", "wah berhasil, makasih banyak 🙏",
                   "udah normal lagi, thanks kak", "terima kasih, udah beres",
                   "mantap kak, berhasil 👍"],
        "maybe": ["oke kak nanti aku coba"],
        "negative": ["udah dicoba, masih sama kak", "nggak ngaruh, tetap error"],
        "also_thanks": ["aku juga berhasil pake cara ini, makasih kak"],
        "brand_fix": ["{thing} kamu {fault2}? Begini cara mengatasinya: https://{domain}/kb/{kb}"],
        "brand_reply": ["@{who} Halo Kak, mohon maaf atas ketidaknyamanannya. Boleh DM kami nomor "
                        "pesanannya?",
                        "@{who} Halo Kak, coba restart {thing}-nya dulu ya. Panduannya di sini: "
                        "https://{domain}/kb/{kb}",
                        "@{who} Mohon maaf Kak, silakan kirim DM ke kami ya, kami bantu cek."],
        "to_brand": ["@{who} udah DM ya min", "@{who} min DM aku belum dibales…"],
        "brand_thanks_helper": ["@{who} makasih udah bantu, Kak! 🙏"],
        "quote": ["ini beneran works, cobain deh 👇"],
        "share": ["buat yang {thing}-nya {fault}, panduan ini ngebantu banget: "
                  "https://{domain}/kb/{kb}"],
        "chatter": ["Senin lagi... semangat!", "ngopi dulu ☕", "macet parah hari ini",
                    "akhirnya jumat 🎉"],
        "chat_reply": ["@{who} wkwkwk bener", "@{who} sama banget", "@{who} wkwk"],
        "chat_back": ["@{who} wkwk", "@{who} 😂"],
        "same": ["@{who} sama kak, aku juga 😭", "@{who} wkwk sama", "@{who} aku juga gitu"],
        "same_back": ["@{who} wkwk ternyata nggak sendirian", "@{who} 😭😭"],
        "praise": ["HP baru dari Acme, kameranya keren banget 😍",
                   "akhirnya kebeli {thing} Acme ❤️"],
        "praise_reply": ["@{who} wah mantap!", "@{who} iri banget 😍"],
        "praise_q": ["@{who} warna apa kak?"],
        "praise_a": ["@{who} yang hijau kak 💚"],
        "praise_end": ["@{who} cakep, makasih infonya"],
        "business_post": ["Produk baru Acme sudah ready di semua toko kami ya kak 🎉",
                          "PROMO akhir pekan! Diskon 20% untuk semua produk Acme di toko kami",
                          "🎁 GIVEAWAY: RT & follow untuk menangkan {thing} Acme!"],
        "business_q": ["@{who} min, ready di cabang {city}?"],
        "business_a": ["@{who} Halo kak! Ready ya di toko kami cabang {city} 😊"],
        "business_end": ["@{who} oke makasih min!"],
        "business_help": ["@{who} Halo kak, silakan mampir ke toko kami, tim teknisi kami bisa "
                          "bantu cek gratis ya",
                          "@{who} Kak, kami sarankan reset pabrik. Bisa kami bantu di toko ya 🙏"],
        "business_thanks": ["@{who} siap makasih min"],
        "agent": ["@{who} Mohon maaf atas ketidaknyamanannya, Kak. Silakan DM kami nomor "
                  "pesanannya ya {sig}"],
        "agent_back": ["@{who} udah DM ya kak, makasih"],
        "agent_steps": ["@{who} Halo Kak, boleh dicoba restart {thing}-nya dulu? Kalau masih sama, "
                        "DM kami ya {sig}"],
        "agent_steps_back": ["@{who} makasih kak, udah bisa"],
    },
    "fr": {
        "request": ["@{brand} bonjour, mon/ma {thing} {fault} depuis la mise à jour, une "
                    "solution ?",
                    "Quelqu'un sait pourquoi l'{thing} {fault} ? @{brand}",
                    "@{brand} encore une fois : {thing} qui {fault}… je fais comment ?",
                    "@{brand} au secours, {thing} {fault} et j'ai une visio dans 1h",
                    "Quelqu'un d'autre a ce souci ? {thing} {fault} depuis hier 😤 @{brand}"],
        "fix": ["maintiens le bouton reset 10 secondes, puis débranche tout pendant une minute",
                "va dans Réglages > Réseau > Avancé et désactive l'économie d'énergie, ça a "
                "marché pour moi",
                "déconnecte-toi, vide le cache et reconnecte-toi",
                "ce guide m'a sauvé : https://{domain}/kb/{kb}",
                "il faut d'abord mettre à jour le firmware, puis redémarrer",
                "c'est un bug connu de la 4.2, un correctif arrive. En attendant, coupe les "
                "mises à jour auto",
                "écris en DM à @AcmeHelp avec le numéro de série, ils m'ont envoyé un "
                "remplacement en 3 jours"],
        "fix_open": ["", "", "j'ai eu pareil ! ", "ah, classique. ", "salut, "],
        "fix_close": ["", "", " bon courage", " 🤞", " tiens-moi au courant"],
        "followup": ["c'est où exactement ? je trouve pas", "je perds mes données si je fais ça ?"],
        "followup_answer": ["dans Réglages > Général > Avancé, tout en bas",
                            "non, tout est sauvegardé sur ton compte"],
        "thanks": ["merci, ça marche !", "merci beaucoup, c'est réglé 🙏",
                   "génial, ça remarche. merci !", "top, merci pour l'astuce",
                   "ça a marché, t'es un chef"],
        "maybe": ["ok je teste ce soir"],
        "negative": ["j'ai essayé, toujours pareil", "ça ne marche pas, même problème"],
        "brand_reply": ["@{who} Bonjour, désolés pour la gêne. Pouvez-vous nous envoyer un DM avec "
                        "votre numéro de commande ?",
                        "@{who} Bonjour ! Essayez de redémarrer l'appareil : "
                        "https://{domain}/kb/{kb}"],
        "to_brand": ["@{who} DM envoyé"],
        "share": ["Petite astuce si vous avez des soucis de connexion depuis la 4.2 : "
                  "https://{domain}/kb/{kb}"],
        "chatter": ["Vivement le week-end", "Café d'abord, mails ensuite ☕", "Lundi, déjà…"],
        "chat_reply": ["@{who} mdr trop vrai", "@{who} grave"],
        "chat_back": ["@{who} 😂"],
        "same": ["@{who} pareil pour moi 😩", "@{who} moi aussi depuis hier", "@{who} mdr pareil"],
        "same_back": ["@{who} ouf, je suis pas seul·e 😂"],
        "praise": ["J'adore mon nouveau téléphone Acme 😍"],
        "praise_reply": ["@{who} trop beau !", "@{who} jaloux·se 😍"],
    },
    "de": {
        "request": ["@{brand} Hallo, mein {thing} {fault} seit dem Update. Gibt es eine Lösung?",
                    "Kennt jemand das Problem? Mein {thing} {fault} 😤 @{brand}",
                    "@{brand} Mein {thing} {fault} schon wieder. Was kann ich tun?",
                    "@{brand} Hilfe! Mein {thing} {fault} und ich hab morgen eine Deadline",
                    "Hat noch jemand das Problem seit 4.2? Mein {thing} {fault} @{brand}"],
        "fix": ["halte den Reset-Knopf 10 Sekunden gedrückt und zieh dann für eine Minute den "
                "Stecker",
                "geh auf Einstellungen > Netzwerk > Erweitert und schalte den Energiesparmodus "
                "aus, hat bei mir geholfen",
                "abmelden, Cache leeren, wieder anmelden. Das war's bei mir",
                "die Anleitung hier hat's bei mir gelöst: https://{domain}/kb/{kb}",
                "du musst zuerst die Firmware aktualisieren und dann neu starten",
                "das ist ein bekannter Bug in 4.2, ein Patch kommt. Bis dahin automatische "
                "Updates ausschalten",
                "schreib @AcmeHelp eine DM mit der Seriennummer, ich hab innerhalb von 3 Tagen "
                "Ersatz bekommen"],
        "fix_open": ["", "", "hatte ich auch! ", "kenn ich. ", "Hi, "],
        "fix_close": ["", "", " Viel Glück!", " 🤞", " sag Bescheid, ob's klappt"],
        "followup": ["wo genau ist das? find ich nicht", "sind dann meine Daten weg?"],
        "followup_answer": ["unter Einstellungen > Allgemein > Erweitert, ganz unten",
                            "nein, das ist alles in deinem Konto gespeichert"],
        "thanks": ["danke, hat geklappt!", "vielen Dank, läuft wieder 🙏",
                   "super, das war's! Danke", "hat funktioniert, danke dir!",
                   "Danke! Auf die Einstellung wär ich nie gekommen"],
        "maybe": ["ok, probier ich heute Abend"],
        "negative": ["hab ich probiert, immer noch dasselbe", "hat leider nicht geklappt"],
        "brand_reply": ["@{who} Hallo, das tut uns leid! Schick uns bitte eine DM mit deiner "
                        "Bestellnummer.",
                        "@{who} Hallo! Bitte starte das Gerät einmal neu: "
                        "https://{domain}/kb/{kb}"],
        "to_brand": ["@{who} DM ist raus"],
        "share": ["Tipp für alle mit WLAN-Problemen seit 4.2: https://{domain}/kb/{kb}"],
        "chatter": ["Endlich Freitag!", "Erstmal Kaffee ☕", "Montag. Schon wieder."],
        "chat_reply": ["@{who} haha so wahr", "@{who} same"],
        "chat_back": ["@{who} 😂"],
        "same": ["@{who} same hier 🙄", "@{who} bei mir auch seit gestern",
                 "@{who} haha ja, bei mir auch"],
        "same_back": ["@{who} wenigstens bin ich nicht allein 😅"],
        "praise": ["Mein neues Acme-Handy ist der Hammer 😍"],
        "praise_reply": ["@{who} neidisch!", "@{who} sieht super aus 😍"],
    },
    "pt": {
        "request": ["@{brand} oi, meu {thing} {fault} desde a atualização, alguma solução?",
                    "alguém sabe resolver? meu {thing} {fault} 😩 @{brand}",
                    "@{brand} meu {thing} {fault} de novo. o que eu faço?",
                    "@{brand} socorro, meu {thing} {fault} e preciso dele pra trabalhar"],
        "fix": ["segura o botão de reset por 10 segundos e depois tira da tomada por um minuto",
                "vai em Configurações > Rede > Avançado e desliga a economia de energia, comigo "
                "resolveu",
                "sai da conta, limpa o cache e entra de novo",
                "esse guia resolveu pra mim: https://{domain}/kb/{kb}",
                "tem que atualizar o firmware primeiro, depois reinicia",
                "é um bug conhecido da 4.2, vai sair correção. enquanto isso desliga a "
                "atualização automática",
                "manda DM pro @AcmeHelp com o número de série, me mandaram outro em 3 dias"],
        "fix_open": ["", "", "aconteceu comigo também! ", "ah, esse problema. ", "oi, "],
        "fix_close": ["", "", " espero que ajude", " 🤞", " boa sorte!"],
        "followup": ["onde fica isso? não achei", "perco meus dados se fizer isso?"],
        "followup_answer": ["em Configurações > Geral > Avançado, lá embaixo",
                            "não, fica tudo salvo na sua conta"],
        "thanks": ["valeu, funcionou!", "muito obrigada, resolveu 🙏", "deu certo! obrigado",
                   "salvou meu dia, valeu!", "funcionou aqui, brigadão"],
        "maybe": ["vou testar mais tarde"],
        "negative": ["tentei, continua igual", "não funcionou, mesmo problema"],
        "brand_reply": ["@{who} Oi! Sentimos muito. Pode mandar uma DM com o número do pedido?",
                        "@{who} Oi! Tente reiniciar o aparelho: https://{domain}/kb/{kb}"],
        "to_brand": ["@{who} mandei DM"],
        "share": ["Dica: se seu {thing} {fault}, esse guia resolve: https://{domain}/kb/{kb}"],
        "chatter": ["Segunda-feira de novo...", "Bom dia, café primeiro ☕", "sextou 🎉"],
        "chat_reply": ["@{who} kkkkk verdade", "@{who} né"],
        "chat_back": ["@{who} kkkk"],
        "same": ["@{who} aqui também 😩", "@{who} kkkkk mesma coisa", "@{who} comigo também"],
        "same_back": ["@{who} kkkk pelo menos não sou só eu"],
        "praise": ["Amando meu celular novo da Acme 😍"],
        "praise_reply": ["@{who} que inveja!", "@{who} lindo demais 😍"],
    },
    "it": {
        "request": ["@{brand} ciao, il mio {thing} {fault} dall'aggiornamento, qualche soluzione?",
                    "Qualcuno sa perché il {thing} {fault}? @{brand}",
                    "@{brand} il {thing} {fault} di nuovo. Che faccio?",
                    "@{brand} aiuto, il {thing} {fault} e domani ho una consegna"],
        "fix": ["tieni premuto il tasto reset per 10 secondi, poi stacca la corrente per un "
                "minuto",
                "vai su Impostazioni > Rete > Avanzate e disattiva il risparmio energetico, a me "
                "ha risolto",
                "esci dall'account, svuota la cache e rientra",
                "questa guida mi ha risolto il problema: https://{domain}/kb/{kb}",
                "devi prima aggiornare il firmware, poi riavvia",
                "è un bug noto della 4.2, la patch arriva a breve. Intanto disattiva gli "
                "aggiornamenti automatici",
                "scrivi in DM a @AcmeHelp col numero di serie, a me l'hanno sostituito in 3 "
                "giorni"],
        "fix_open": ["", "", "successo anche a me! ", "ah, classico. ", "ciao, "],
        "fix_close": ["", "", " fammi sapere", " 🤞", " in bocca al lupo"],
        "followup": ["dov'è di preciso? non lo trovo", "perdo i dati se lo faccio?"],
        "followup_answer": ["in Impostazioni > Generali > Avanzate, in fondo",
                            "no, è tutto salvato sul tuo account"],
        "thanks": ["grazie, ha funzionato!", "grazie mille, risolto 🙏",
                   "funziona di nuovo, sei un grande", "perfetto, grazie!"],
        "maybe": ["ok stasera provo"],
        "negative": ["provato, niente da fare", "non ha funzionato, stesso problema"],
        "brand_reply": ["@{who} Ciao, ci dispiace! Puoi scriverci in DM il numero d'ordine?",
                        "@{who} Ciao! Prova a riavviare il dispositivo: https://{domain}/kb/{kb}"],
        "to_brand": ["@{who} DM inviato"],
        "share": ["Se il vostro {thing} {fault}, questa guida lo risolve: "
                  "https://{domain}/kb/{kb}"],
        "chatter": ["Finalmente venerdì", "Prima il caffè ☕", "Lunedì, di nuovo…"],
        "chat_reply": ["@{who} ahah verissimo", "@{who} esatto"],
        "chat_back": ["@{who} 😂"],
        "same": ["@{who} anche a me 😩", "@{who} ahah uguale", "@{who} pure io da ieri"],
        "same_back": ["@{who} almeno non sono l'unico 😅"],
        "praise": ["Adoro il mio nuovo telefono Acme 😍"],
        "praise_reply": ["@{who} che invidia!", "@{who} bellissimo 😍"],
    },
    "ja": {
        "request": ["@{brand} アップデートしてから{thing}が{fault}のですが、解決方法はありますか？",
                    "{thing}が{fault}んだけど、同じ人いる？ @{brand}",
                    "@{brand} {thing}が{fault}。どうすればいいですか？",
                    "@{brand} 助けてください…{thing}が{fault}状態で困っています"],
        "fix": ["リセットボタンを10秒長押しして、そのあと1分くらい電源を抜いてみてください",
                "設定 > ネットワーク > 詳細 で省電力モードをオフにしたら直りましたよ",
                "一度ログアウトしてキャッシュを消して、もう一度ログインすると直ると思います",
                "このガイドで解決しました https://{domain}/kb/{kb} ",
                "先にファームウェアを更新してから再起動してみてください",
                "4.2の既知の不具合みたいです。修正が出るまで自動更新をオフにすると大丈夫でした",
                "@AcmeHelp にDMでシリアル番号を送ったら、3日で交換してもらえましたよ"],
        "fix_open": ["", "", "私も同じ症状でした！", "それ、よくあるやつです。"],
        "fix_close": ["", "", " お役に立てば🙏", " がんばってください！"],
        "followup": ["それってどこにありますか？見つからなくて…", "データは消えませんか？"],
        "followup_answer": ["設定 > 一般 > 詳細 のいちばん下にあります",
                            "大丈夫です、アカウントに保存されているので戻ります"],
        "thanks": ["ありがとうございます！直りました！", "できました！助かりました🙏",
                   "解決しました、ありがとうございます", "おかげで直りました！感謝です"],
        "maybe": ["今夜試してみます"],
        "negative": ["試してみたけどダメでした…", "変わらないです😢"],
        "brand_reply": ["@{who} ご不便をおかけして申し訳ございません。詳しい状況をDMでお知らせいただけますか？",
                        "@{who} お問い合わせありがとうございます。こちらの手順をお試しください "
                        "https://{domain}/kb/{kb} "],
        "to_brand": ["@{who} DMしました"],
        "share": ["{thing}が{fault}人はこれで直ります https://{domain}/kb/{kb} "],
        "chatter": ["今日も一日がんばろう", "コーヒー飲んでから仕事☕", "やっと金曜日！"],
        "chat_reply": ["@{who} わかる笑", "@{who} それな"],
        "chat_back": ["@{who} 笑"],
        "same": ["@{who} うちもです😭", "@{who} わかる、私も", "@{who} 同じく笑"],
        "same_back": ["@{who} 仲間がいてちょっと安心しました笑"],
        "praise": ["Acmeの新しいスマホ、カメラが最高すぎる😍"],
        "praise_reply": ["@{who} いいなー！", "@{who} めっちゃ綺麗😍"],
    },
}
# English answers that only fit one thing (the generic ones above fit any).
FIX_FOR = {
    "router": ["it's usually the 5GHz band. split the bands in the app and put your devices on "
               "2.4GHz",
               "hold the reset button on the back for 10 seconds, then unplug it for a minute",
               "if the light is orange it's the line, not the router. check the cable in the "
               "wall socket first",
               "change the wifi channel in the router app (Settings > Wireless > Channel), auto "
               "picks a busy one"],
    "phone": ["check the charger first, mine was a dodgy cable. the original one works fine",
              "it's the battery saver kicking in. Settings > Battery > turn off adaptive mode",
              "hold power + volume down for 15s to force a restart, then install the update",
              "factory reset fixed mine (Settings > System > Reset). back up first though!"],
    "app": ["sign out, clear the app cache, sign back in. 3 steps and it's sorted",
            "delete and reinstall it, your stuff is saved in your account",
            "roll back: Settings > Apps > Acme > Uninstall updates. that sorted mine"],
    "printer": ["remove it from the printer list and add it again, that's what fixed mine",
                "turn off sleep mode in the printer menu, it drops off the network when it "
                "sleeps",
                "blank pages = clogged head. run head cleaning from the printer menu twice"],
    "smart speaker": ["unplug it for a minute and set it up again in the app, takes 5 mins",
                      "it only likes 2.4GHz wifi, move it to that network"],
    "laptop": ["check the charger first, mine was a dodgy cable. the original one works fine",
               "update the BIOS from the support site, 4.2 broke sleep for a lot of people",
               "turn off fast startup: Settings > Power > Advanced. no more freezing"],
    "watch": ["unpair it in the app, restart both, pair again",
              "turn off battery optimisation for the Acme app on your phone, it kills the sync"],
}
# Questions that are not faults, each with the answers that fit it.
QA = {
    "en": [("@{brand} quick question: my {thing} {fault}, is that covered by the warranty?",
            ["yes if it's under 2 years old. DM @AcmeHelp with the receipt and they'll swap it",
             "it should be, mine was. you can start the claim here: https://{domain}/warranty"]),
           ("@{brand} where do I find the serial number on the {thing}? the repair form wants it",
            ["it's under Settings > About, or on the sticker underneath the {thing}",
             "it's on the box too, next to the barcode"]),
           ("@{brand} how do I move everything from my old phone to the new one?",
            ["use the Switch app on the new phone, it copies everything over wifi. took me 20 "
             "min",
             "back up the old one (Settings > Backup), then sign in on the new one and pick "
             "'restore'"]),
           ("anyone know if you can use the {thing} without making an Acme account? @{brand}",
            ["yes, tap 'set up later' on the first screen",
             "you can, but updates need the account. I made a throwaway one"])],
    "es": [("@{brand} una pregunta: mi {thing} {fault}, ¿entra en la garantía?",
            ["sí, si tiene menos de 2 años. Escríbele por DM a @AcmeAyuda con el ticket y te lo "
             "cambian",
             "debería, a mí me lo cubrieron. La reclamación se hace aquí: "
             "https://{domain}/garantia"]),
           ("@{brand} ¿cómo paso todo del móvil viejo al nuevo?",
            ["con la app Switch en el móvil nuevo, lo copia todo por wifi. Tarda unos 20 min",
             "haz copia en el viejo (Ajustes > Copia de seguridad) y al iniciar sesión en el "
             "nuevo elige 'restaurar'"])],
}
# What shops sell, by language (a business never sells an "app").
RETAIL = {"en": ["phone", "laptop", "smart speaker", "watch", "router"],
          "es": ["móvil", "portátil", "router"], "id": ["HP", "laptop", "router"]}
# What people show off (and are asked about its battery).
GADGETS = {"en": ["phone", "laptop", "watch"], "es": ["móvil", "portátil"], "id": ["HP", "laptop"]}
# French needs its articles; the other languages' templates take the thing as it is.
_FR_THING = {"box": "ma box", "téléphone": "mon téléphone", "appli": "l'appli",
             "imprimante": "mon imprimante"}

CITIES = {"en": ["Leeds", "Manchester", "Bristol", "Glasgow", "Cardiff", "Brighton"],
          "es": ["Madrid", "Sevilla", "Valencia", "Bilbao"],
          "id": ["Jakarta", "Bandung", "Surabaya", "Medan"]}

# ---------------------------------------------------------------------------------------------
# People. Handles look like real ones; none but a bot's contains "bot".

FIRST = {
    "en": ["james", "maya", "liam", "olivia", "noah", "emma", "ethan", "ava", "lucas", "mia",
           "jack", "chloe", "ryan", "zoe", "sam", "grace", "leo", "ella", "adam", "ruby", "dan",
           "amy", "tom", "kate", "josh", "nina", "ben", "lily", "alex", "hannah", "matt",
           "sophie", "chris", "jess", "owen", "erin", "kyle", "tara", "nick", "beth", "priya",
           "omar", "aisha", "connor", "megan", "jay", "rosa", "dev", "kemi", "finn"],
    "es": ["lucia", "pablo", "sofia", "diego", "carmen", "javier", "elena", "mateo", "paula",
           "alvaro", "marta", "sergio", "laura", "andres", "valeria", "jorge", "ines", "raul",
           "camila", "hugo", "nerea", "ivan", "alba", "rocio"],
    "id": ["budi", "siti", "agus", "dewi", "rizky", "putri", "andi", "ayu", "fajar", "indah",
           "dimas", "nadia", "bayu", "sari", "yoga", "rina", "eko", "wulan", "tika", "arief"],
    "fr": ["camille", "louis", "chloe", "hugo", "lea", "jules", "manon", "theo", "ines",
           "lucas", "margaux", "antoine", "julie", "nicolas"],
    "de": ["lukas", "anna", "felix", "lena", "jonas", "marie", "paul", "laura", "leon",
           "sophie", "tim", "julia", "jan", "katrin"],
    "pt": ["joao", "ana", "pedro", "beatriz", "lucas", "mariana", "gabriel", "julia", "rafael",
           "larissa", "thiago", "camila"],
    "it": ["marco", "giulia", "luca", "chiara", "matteo", "francesca", "andrea", "sara",
           "davide", "elisa", "lorenzo", "marta"],
    "ja": ["yuki", "haruto", "sakura", "ren", "aoi", "sota", "hina", "yuto", "mei", "kaito",
           "riko", "daiki"],
}
LAST = {
    "en": ["smith", "jones", "taylor", "brown", "wilson", "evans", "walker", "wright",
           "green", "hall", "wood", "clarke", "patel", "khan", "murphy", "kelly", "chen",
           "nguyen", "price", "hughes", "ward", "reid", "okafor", "shaw"],
    "es": ["garcia", "lopez", "martin", "sanchez", "perez", "gomez", "ruiz", "diaz", "moreno",
           "alonso", "romero", "navarro"],
    "id": ["santoso", "wijaya", "saputra", "hidayat", "pratama", "lestari", "kurniawan",
           "setiawan", "nugroho", "wulandari"],
    "fr": ["martin", "bernard", "dubois", "durand", "leroy", "moreau", "girard", "lefevre"],
    "de": ["mueller", "schmidt", "schneider", "fischer", "weber", "wagner", "becker", "koch"],
    "pt": ["silva", "santos", "oliveira", "souza", "lima", "pereira", "costa", "almeida"],
    "it": ["rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci"],
    "ja": ["tanaka", "sato", "suzuki", "takahashi", "ito", "watanabe", "yamamoto", "nakamura"],
}
JA_DISPLAY = (["田中", "佐藤", "鈴木", "高橋", "伊藤", "渡辺", "山本", "中村"],
              ["ゆき", "はると", "さくら", "れん", "あおい", "そうた", "ひな", "ゆうと", "めい"])
HOBBY = ["codes", "bakes", "runs", "games", "reads", "makes", "photo", "music", "fit", "ux",
         "cooks", "draws", "hikes", "films"]
BIOS = {"en": ["", "", "", "", "coffee & code", "mum of 2 | runner", "football, films, food",
               "Designer. Cat person.", "nurse 🩺 | tea", "PhD student, mostly tired",
               "dad jokes specialist", "☕📚🎧", "Leeds | gigs | dogs"],
        "es": ["", "", "", "café y series", "Madrid ✈️", "profe de mates"],
        "id": ["", "", "", "anak kopi ☕", "Jakarta | kuliner"],
        "fr": ["", "", "Paris | café"], "de": ["", "", "Berlin | Kaffee"],
        "pt": ["", "", "SP | café"], "it": ["", "", "Milano | caffè"],
        "ja": ["", "", "コーヒーと猫"]}
CHAMPION_BIOS = ["Tech tinkerer. Happy to help.", "fixes things, breaks things", "",
                 "IT by day, gamer by night", "retired engineer, still tinkering", "",
                 "Home network nerd 🛜", "helping where I can"]
BUSINESSES = [  # handle, display name, language, bio
    ("GadgetBarnUK", "Gadget Barn", "en",
     "Your local tech shop. 40 stores across the UK. Official Acme retailer."),
    ("PhoneHutStores", "Phone Hut", "en", "Phones, tablets & accessories. Open 7 days."),
    ("ElectroPlazaES", "ElectroPlaza", "es",
     "Tiendas de electrónica en toda España. Distribuidor oficial de Acme."),
    ("FixFastRepairs", "FixFast Repairs", "en",
     "Same-day repairs for phones, laptops and smart home. Acme authorised repair partner."),
    ("tokogadget_id", "Toko Gadget", "id", "Reseller resmi Acme. Gratis ongkir se-Indonesia!"),
    ("MegaTechOutlet", "MegaTech Outlet", "en", "Big brands, small prices 💸"),
    ("SmartHomeDepot", "SmartHome Depot", "en", "Everything for the connected home."),
    ("TecnoCasaES", "TecnoCasa", "es", "Tu tienda de tecnología de confianza. Madrid, "
     "Valencia y Bilbao."),
]
STAFF_VOICE = [  # display name, handle, signature, language
    ("Kim Morales", "kim_morales", "^KM", "en"), ("Becky Jones", "beckyj_", "-Becky", "en"),
    ("Lucía Rodríguez", "lucia_rdz", "^LR", "es"), ("Dewi Sari", "dewisari_", "~Dewi", "id"),
    ("Tom Reid", "tomreid88", "*TomR", "en"), ("Sam Okafor", "samokafor", "-Sam", "en"),
    ("Carlos Vega", "cvega_", "-Carlos", "es"), ("Priti Shah", "pritishah_", "^PS", "en"),
]
STAFF_VOICE_BIOS = ["Acme Care team 💙 views my own", "helping customers | dog mum | runner",
                    "", "Customer experience. Coffee. Football.", "9-5 helping people ☎️",
                    "CX @ a big tech brand. opinions mine"]


@dataclass
class DemoSpec:
    """How much to write, the random seed, and the base day the tweets lead up to (None: today,
    UTC). Every tweet is earlier than midnight at the start of ``today``."""
    tweets: int = SIZES["tiny"]
    seed: int = 7
    today: date | None = None
    # "demo": a compact community (the planted cast is most of it). "brand": shaped like a real
    # brand's following, for benchmarks: about one customer per 9 tweets and one casual helper
    # per 65, so most people ask once or twice and most helpers answer once or twice.
    shape: str = "demo"

    def end(self) -> datetime:
        """Midnight (UTC) starting the base day: the demo's tweets are all before it."""
        day = self.today or datetime.now(timezone.utc).date()
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


@dataclass(eq=False)
class _User:
    id: int
    username: str
    name: str
    followers: int
    description: str = ""
    lang: str = "en"
    role: str = "customer"
    created: str = "2019-05-01T12:00:00.000Z"
    following: int = 300
    langs: tuple[str, ...] = ()          # languages they help or talk in (first: their own)
    sig: str = ""                        # agents' sign-off
    js: dict[str, Any] | None = None     # the profile as X returns it, built once


@dataclass
class _Plan:
    """A planted helper's activity: what the truth promises about them."""
    tier: str
    langs: tuple[str, ...]
    thank_rate: float
    window_answers: int = 0
    early_answers: int = 0
    helped: list[int] = field(default_factory=list)
    left_in_window: int = 0
    thanked_in_window: int = 0
    helped_in_window: list[int] = field(default_factory=list)


@dataclass
class _Gen:
    spec: DemoSpec
    rng: random.Random
    end_ts: int = 0  # the base day's midnight in whole seconds since 1970 (fast to add)
    retrieved_at: str = ""  # when the pages say they were fetched: the base day's midnight
    users: dict[str, list[_User]] = field(default_factory=dict)
    by_name: dict[str, _User] = field(default_factory=dict)
    by_lang: dict[str, list[_User]] = field(default_factory=dict)   # askers, per language
    pools: dict[str, tuple[list[_User], list[float]]] = field(default_factory=dict)
    plans: dict[str, _Plan] = field(default_factory=dict)
    rings: list[list[_User]] = field(default_factory=list)
    slots: list[tuple] = field(default_factory=list)
    out: list[dict[str, Any]] = field(default_factory=list)  # tweets of the current page
    includes: dict[int, dict[str, Any]] = field(default_factory=dict)
    page_users: dict[int, _User] = field(default_factory=dict)
    by_id: dict[int, tuple[dict[str, Any], _User]] = field(default_factory=dict)
    keep: set[int] = field(default_factory=set)                        # never evicted
    brand_fixes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    days: dict[int, str] = field(default_factory=dict)  # day number -> "YYYY-MM-DD"
    promos: int = 0
    seq: int = 0
    written: int = 0


def _id_at(when: int, seq: int) -> int:
    ms = when * 1000 - TWITTER_EPOCH_MS
    return (ms << 22) | (seq & 0x3FFFFF)


def _ri(r: random.Random, a: int, b: int) -> int:
    """``r.randint(a, b)``, three times faster."""
    return a + int(r.random() * (b - a + 1))


def _lang(r: random.Random) -> str:
    return LANGS[bisect(_LANG_CUM, r.random() * _LANG_CUM[-1])]


def _created_at(g: "_Gen", when: int) -> str:
    day, sec = divmod(when, 86400)
    d = g.days.get(day)
    if d is None:
        d = g.days[day] = datetime.fromtimestamp(day * 86400, timezone.utc).strftime("%Y-%m-%d")
    h, sec = divmod(sec, 3600)
    m, sec = divmod(sec, 60)
    return f"{d}T{h:02d}:{m:02d}:{sec:02d}.000Z"


def _user_json(u: _User) -> dict[str, Any]:
    if u.js is None:
        u.js = {"id": str(u.id), "username": u.username, "name": u.name,
                "description": u.description, "created_at": u.created,
                "verified": False, "protected": False, "location": "", "url": "",
                "public_metrics": {"followers_count": u.followers,
                                   "following_count": u.following,
                                   "tweet_count": 1000, "listed_count": 1}}
    return u.js


class _Writer:
    def __init__(self, path: Path):
        self.fh = path.open("wb")

    def page(self, g: _Gen) -> None:
        if not g.out:
            return
        page = {"data": g.out,
                "includes": {"users": [_user_json(u) for u in g.page_users.values()],
                             "tweets": list(g.includes.values())},
                "meta": {"result_count": len(g.out), "newest_id": g.out[-1]["id"],
                         "oldest_id": g.out[0]["id"]},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=acme",
                            "version": "2.14.0", "retrieved_at": g.retrieved_at}}
        self.fh.write(orjson.dumps(page) + b"\n")
        g.written += len(g.out)
        g.out, g.includes, g.page_users = [], {}, {}

    def close(self) -> None:
        self.fh.close()


# ---------------------------------------------------------------------------------------------
# Text.

def _has(lang: str, key: str) -> str:
    return lang if key in T[lang] else "en"


def _problem(g: _Gen, lang: str) -> tuple[str, str]:
    thing, faults = g.rng.choice(PROBLEMS[lang if lang in PROBLEMS else "en"])
    return thing, g.rng.choice(faults)


def _fill(g: _Gen, lang: str, key: str, thing: str | None = None, fault: str | None = None,
          used: set[str] | None = None, template: str | None = None, **kw: Any
          ) -> tuple[str, str]:
    """A template of ``key`` in ``lang`` (English if that language has none; one not in ``used``
    if it can), filled; and the language it is in."""
    r = g.rng
    if template is None:
        if key not in T[lang]:
            lang, thing, fault = "en", None, None
        choices = T[lang][key]
        template = r.choice(choices)
        if used is not None:
            for _ in range(4):
                if template not in used:
                    break
                template = r.choice(choices)
            used.add(template)
    return _format(g, lang, template, thing, fault, kw), lang


def _format(g: _Gen, lang: str, template: str, thing: str | None, fault: str | None,
            kw: dict[str, Any]) -> str:
    r = g.rng
    if "{thing}" in template or "{fault" in template:
        if thing is None or fault is None:
            thing, fault = _problem(g, lang)
        if lang == "fr":
            thing = _FR_THING.get(thing, thing)
            template = template.replace("mon/ma {thing}", "{thing}").replace("l'{thing}",
                                                                             "{thing}")
        kw["thing"], kw["fault"], kw["fault2"] = thing, fault, _fault2(fault)
    if "{domain}" in template:
        kw["domain"], kw["kb"] = r.choice(FIX_DOMAINS), _ri(r, 100, 999)
    if "{city}" in template and "city" not in kw:
        kw["city"] = r.choice(CITIES.get(lang, CITIES["en"]))
    return template.format(**kw)


_FAULT2 = {"keeps logging me out": "logging you out", "won't load my account":
           "not loading your account", "won't pair with my phone": "not pairing"}


def _fault2(fault: str) -> str:
    """A fault for "Is your router ...?": drop "keeps", "won't" reads as "not"."""
    if fault in _FAULT2:
        return _FAULT2[fault]
    for a, b in (("keeps ", ""), ("won't ", "not able to "), ("is ", ""), ("says it's ", ""),
                 ("only prints", "printing"), ("restarts itself", "restarting"),
                 ("restarts", "restarting"), ("stopped responding", "not responding"),
                 ("crashes", "crashing"), ("freezes", "freezing"), ("gets really hot",
                                                                   "overheating"),
                 ("drains", "draining"), ("dies", "dying")):
        if fault.startswith(a):
            return b + fault[len(a):]
    return fault


def _answer(g: _Gen, lang: str, who: str, thing: str | None,
            answers: list[str] | None = None) -> tuple[str, str]:
    """A helper's reply with content: steps, an explanation or a pointer; ``answers`` are the
    ones that fit a question that is not a fault."""
    lang = _has(lang, "fix")
    r, t = g.rng, T[lang]
    if answers:
        template = r.choice(answers)
    elif lang == "en" and thing in FIX_FOR and r.random() < 0.65:
        template = r.choice(FIX_FOR[thing])
    else:
        template = r.choice(t["fix"])
    body = _format(g, lang, template, thing, "", {})
    return f"@{who} {r.choice(t['fix_open'])}{body}{r.choice(t['fix_close'])}", lang


# ---------------------------------------------------------------------------------------------
# Tweets.

_MENTION = re.compile(r"@([A-Za-z0-9_]{1,15})")
_URL = re.compile(r"https://\S+")
_B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _tco(n: int) -> str:
    n = (n * 2654435761) % 62 ** 10
    s = []
    for _ in range(10):
        n, d = divmod(n, 62)
        s.append(_B62[d])
    return "https://t.co/" + "".join(s)


def _tweet(g: _Gen, w: _Writer, author: _User, text: str, when: int, *,
           lang: str | None = None, reply_to: int | None = None, retweet: int | None = None,
           quote: int | None = None) -> int:
    g.seq += 1
    tid = _id_at(when, g.seq)
    lang = X_LANG.get(lang or author.lang, lang or author.lang)
    t: dict[str, Any] = {"id": str(tid), "author_id": str(author.id), "text": text,
                         "created_at": _created_at(g, when),
                         "lang": lang, "conversation_id": str(tid),
                         "edit_history_tweet_ids": [str(tid)],
                         "public_metrics": {"retweet_count": 0, "reply_count": 0,
                                            "like_count": int(g.rng.random() * 21),
                                            "quote_count": 0},
                         "entities": {}}
    ents = t["entities"]
    ref_id = reply_to or retweet or quote
    if ref_id is not None and ref_id in g.by_id:
        ref, ref_author = g.by_id[ref_id]
        g.includes[ref_id] = ref
        g.page_users[ref_author.id] = ref_author
        if reply_to:
            t["referenced_tweets"] = [{"type": "replied_to", "id": str(reply_to)}]
            t["in_reply_to_user_id"] = str(ref_author.id)
            t["conversation_id"] = ref["conversation_id"]
            ref["public_metrics"]["reply_count"] += 1
        elif retweet:
            t["referenced_tweets"] = [{"type": "retweeted", "id": str(retweet)}]
            prefix = f"RT @{ref_author.username}: "
            text = t["text"] = (prefix + ref["text"])[:280]
            t["lang"] = ref["lang"]
            if "urls" in ref["entities"]:
                n = len(prefix)
                ents["urls"] = [{**u, "start": u["start"] + n, "end": u["end"] + n}
                                for u in ref["entities"]["urls"] if u["end"] + n <= len(text)]
            ref["public_metrics"]["retweet_count"] += 1
        else:
            t["referenced_tweets"] = [{"type": "quoted", "id": str(quote)}]
            ref["public_metrics"]["quote_count"] += 1
    if "https://" in text and not retweet:
        urls, parts, pos = [], [], 0
        for i, m in enumerate(_URL.finditer(text)):
            parts.append(text[pos:m.start()])
            short = _tco(tid + i)
            start = sum(map(len, parts))
            parts.append(short)
            urls.append({"start": start, "end": start + len(short), "url": short,
                         "expanded_url": m.group(), "display_url": m.group()[8:]})
            pos = m.end()
        parts.append(text[pos:])
        text = t["text"] = "".join(parts).strip()
        ents["urls"] = urls
    if "@" in text:
        mentions = []
        for m in _MENTION.finditer(text):
            u = g.by_name.get(m.group(1).lower())
            if u is not None:
                mentions.append({"start": m.start(), "end": m.end(), "username": u.username,
                                 "id": str(u.id)})
                g.page_users[u.id] = u
        if mentions:
            ents["mentions"] = mentions
    g.page_users[author.id] = author
    g.out.append(t)
    g.by_id[tid] = (t, author)
    if len(g.by_id) > 60_000:  # only recent tweets are answered or referenced
        keep = g.keep
        for old in list(g.by_id)[:20_000]:
            if old not in keep:
                del g.by_id[old]
    if len(g.out) >= 100:
        w.page(g)
    return tid


def _say(g: _Gen, w: _Writer, author: _User, lang: str, key: str, when: int, *,
         reply_to: int | None = None, quote: int | None = None, **kw: Any) -> int:
    text, lang = _fill(g, lang, key, **kw)
    return _tweet(g, w, author, text, when, lang=lang, reply_to=reply_to, quote=quote)


def _short_lang(g: _Gen, text: str, lang: str) -> str:
    """X cannot tell the language of a few words: short replies are often "und"."""
    body = _MENTION.sub("", text).strip()
    return "und" if len(body) < 12 and g.rng.random() < 0.4 else lang


# ---------------------------------------------------------------------------------------------
# Times.

def _when(g: _Gen, lo_days: float = 0, hi_days: float = DAYS) -> int:
    """A moment between ``hi_days`` and ``lo_days`` before the end (at least an hour before)."""
    lo, hi = max(3600, int(lo_days * 86400)), int(hi_days * 86400)
    return g.end_ts - _ri(g.rng, lo, max(lo, hi))


def _months_before(g: _Gen, months: int, day: int) -> str:
    """An account creation time: ``day`` of the month ``months`` before the end's month."""
    end = datetime.fromtimestamp(g.end_ts, timezone.utc)
    y, m = divmod(end.year * 12 + end.month - 1 - months, 12)
    return f"{y:04d}-{m + 1:02d}-{day:02d}T12:00:00.000Z"


def _later(when: int, g: _Gen, lo: int = 60, hi: int = 6 * 3600) -> int:
    return min(g.end_ts - 1, when + lo + int(g.rng.random() * (hi - lo + 1)))


# ---------------------------------------------------------------------------------------------
# The community.

def _people(g: _Gen) -> None:
    r, n = g.rng, g.spec.tweets
    next_id = [10_000]
    taken: set[str] = {u.lower() for u in [*BRANDS.values(), MAIN_BRAND, *STAFF,
                                           *(b[0] for b in BUSINESSES),
                                           *(a[1] for a in STAFF_VOICE)]}

    def new_id() -> int:
        next_id[0] += r.randint(1, 50)
        return next_id[0]

    def handle(lang: str, first: str, last: str) -> str:
        style = r.random()
        if style < 0.25:
            h = first + last
        elif style < 0.45:
            h = f"{first}_{last}"
        elif style < 0.6:
            h = f"{first}{last[0]}{r.randint(1, 99)}"
        elif style < 0.72:
            h = f"{first}{r.randint(80, 99) if r.random() < 0.5 else r.randint(0, 9)}"
        elif style < 0.84:
            h = f"{first}{r.choice(HOBBY)}"
        elif style < 0.92:
            h = f"{last}{first[0]}"
        else:
            h = f"the{first}{last[0]}"
        if r.random() < 0.15:
            h = h.title()
        return h[:15]

    def person(role: str, lang: str, followers: tuple[int, int], bio: str | None = None,
               created: tuple[int, int] = (2010, 2025)) -> _User:
        first, last = r.choice(FIRST[lang]), r.choice(LAST[lang])
        h = handle(lang, first, last)
        while h.lower() in taken or "bot" in h.lower():
            h = f"{first}{last[:3]}{r.randint(1, 999)}"[:15]
        taken.add(h.lower())
        if lang == "ja":
            name = r.choice(JA_DISPLAY[0]) + r.choice(JA_DISPLAY[1])
        else:
            name = r.choice([f"{first.title()} {last.title()}", first.title(),
                             f"{first.title()} {last[0].upper()}.",
                             f"{first.title()} ✨", f"{first.title()} {last.title()}"])
        if bio is None:
            bio = r.choice(BIOS[lang])
        year = r.randint(*created)
        return _User(new_id(), h, name, r.randint(*followers), bio, lang, role,
                     f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T12:00:00.000Z",
                     r.randint(50, 1200), (lang,))

    def lang_of() -> str:
        return _lang(r)

    def many(role: str, count: int, followers: tuple[int, int], bio: str | None = None,
             langs: tuple[str, ...] | None = None) -> list[_User]:
        return [person(role, r.choice(langs) if langs else lang_of(), followers, bio)
                for _ in range(count)]

    scale = max(1.0, n / 3000)
    brand = [_User(1, BRANDS["en"], "Acme Help", 250_000, "Official Acme support", "en", "brand"),
             _User(2, BRANDS["es"], "Acme Ayuda", 80_000, "Soporte oficial de Acme", "es",
                   "brand"),
             _User(3, MAIN_BRAND, "Acme", 2_000_000, "Acme. Things that work.", "en", "brand"),
             _User(4, BRANDS["id"], "Acme Bantu", 60_000, "Layanan pelanggan resmi Acme "
                   "Indonesia. Senin-Jumat 08.00-20.00 WIB", "id", "brand")]
    staff = [_User(100 + i, h, h.replace("_", " ").title(), r.randint(200, 2000),
                   "Support engineer at @Acme. Views my own.", "en", "staff")
             for i, h in enumerate(STAFF)]
    # Champions: a first language in turn, some with a second.
    n_champ = max(8, min(300, round(6 * scale ** 0.75)))
    champions = []
    for i in range(n_champ):
        lang = CHAMPION_LANGS[i % len(CHAMPION_LANGS)]
        c = person("champion", lang, (50, 3000), r.choice(CHAMPION_BIOS))
        if r.random() < 0.3:
            second = "en" if lang != "en" else r.choice(["es", "fr", "de", "pt", "it", "id"])
            c.langs = (lang, second)
        champions.append(c)
    bots = []
    bot_names = ["newsfeed", "gadgetwire", "acme_updates", "technews_rt", "dealsdaily",
                 "gizmo_feed"]
    for i in range(max(3, int(2 * scale ** 0.6))):
        h = f"{bot_names[i % len(bot_names)]}{i // len(bot_names) or ''}"
        taken.add(h.lower())  # (no person's handle has "_rt", "feed", "wire" or "daily" + digits)
        bots.append(_User(new_id(), h, h.replace("_", " ").title(), r.randint(10, 500),
                          "Automated account: retweets #Acme news" if i % 2 == 0 else
                          "All the latest tech news", "en", "bot", "2015-03-01T12:00:00.000Z"))
    businesses = []
    for i in range(max(3, round(3 * scale ** 0.5))):
        h, name, lang, bio = BUSINESSES[i % len(BUSINESSES)]
        if i >= len(BUSINESSES):
            h = f"{h[:11]}{i // len(BUSINESSES) + 1}"
            name = f"{name} {i // len(BUSINESSES) + 1}"
            while h.lower() in taken:
                h = f"{h[:11]}{r.randint(10, 99)}"
        taken.add(h.lower())
        businesses.append(_User(new_id(), h, name, r.randint(4000, 90_000), bio, lang,
                                "business", f"{r.randint(2011, 2018)}-06-01T12:00:00.000Z",
                                r.randint(200, 2000), (lang,)))
    staff_voice = []
    for i in range(max(3, round(3 * scale ** 0.35))):
        name, h, sig, lang = STAFF_VOICE[i % len(STAFF_VOICE)]
        if i >= len(STAFF_VOICE):
            first = r.choice(FIRST[lang])
            last = r.choice(LAST[lang])
            name, h = f"{first.title()} {last.title()}", f"{first}_{last[:4]}{i}"
            sig = r.choice([f"^{first[0].upper()}{last[0].upper()}", f"-{first.title()}",
                            f"*{first.title()}{last[0].upper()}"])
            while h.lower() in taken:
                h = f"{first}_{last[:4]}{r.randint(100, 999)}"
        taken.add(h.lower())
        u = _User(new_id(), h, name, r.randint(100, 2000), r.choice(STAFF_VOICE_BIOS), lang,
                  "staff_voice", f"{r.randint(2012, 2022)}-02-01T12:00:00.000Z",
                  r.randint(100, 900), (lang,))
        u.sig = sig
        staff_voice.append(u)
    rings = []
    for k in range(1 + (n >= 100_000) + (n >= 500_000)):
        lang = ("en", "es", "en")[k]
        ring = [person("ring", lang, (3, 60), r.choice(CHAMPION_BIOS[:4]), (2026, 2026))
                for _ in range(r.randint(4, 6))]
        for u in ring:  # new accounts: made two to four months before the end
            u.created = _months_before(g, 10 - r.randint(6, 8), r.randint(1, 28))
            u.following = r.randint(5, 40)
        rings.append(ring)
    g.rings = rings
    g.users = {
        "brand": brand, "staff": staff, "champion": champions,
        "customer": [person("customer", LANGS[i % len(LANGS)], (0, 2000))  # every language
                     for i in range(3 * len(LANGS))]
        + many("customer", max(60, int(120 * scale) if g.spec.shape == "demo" else n // 9)
               - 3 * len(LANGS), (0, 2000)),
        "complainer": many("complainer", max(3, int(3 * scale ** 0.7)), (50_000, 500_000),
                           "Journalist. Opinions are loud.", ("en",)),
        "fan": many("fan", max(4, int(4 * scale ** 0.8)), (100, 5000), "Acme fan since day one",
                    ("en", "en", "en", "es")),
        "bot": bots,
        "asker": many("asker", max(4, int(4 * scale ** 0.8)), (10, 800)),
        "troll": many("troll", max(3, int(3 * scale ** 0.7)), (10, 3000), None, ("en",)),
        "dropper": many("dropper", max(3, int(3 * scale ** 0.7)), (10, 2000), "Links that help",
                        ("en",)),
        "casual": many("casual", max(10, round(10 * scale ** 0.85) if g.spec.shape == "demo"
                                     else n // 65), (0, 1500)),
        "banter": many("banter", max(12, round(12 * scale ** 0.95)), (20, 3000)),
        "business": businesses,
        "staff_voice": staff_voice,
        "ring": [u for ring in rings for u in ring],
    }
    for group in g.users.values():
        for u in group:
            g.by_name[u.username.lower()] = u
    # Who asks, per language; who answers, chats and enters giveaways, weighted by how chatty.
    for lang in LANGS:
        g.by_lang[lang] = [u for u in g.users["customer"] + g.users["casual"] + g.users["banter"]
                           if u.lang == lang]
    for lang in LANGS:
        g.by_lang[lang] += [u for u in g.users["asker"] if u.lang == lang] * 4

    def pool(name: str, people: list[_User], sigma: float = 1.0) -> None:
        weights = [r.lognormvariate(0, sigma) for _ in people]
        g.pools[name] = (people, list(accumulate(weights)))
        for lang in LANGS:
            sub = [(u, x) for u, x in zip(people, weights) if u.lang == lang]
            if sub:
                g.pools[f"{name}:{lang}"] = ([u for u, _ in sub],
                                             list(accumulate(x for _, x in sub)))

    for name in ("business", "dropper", "troll", "complainer", "fan"):
        pool(name, g.users[name])
    pool("banter", g.users["banter"], 0.8)
    pool("staff_voice", g.users["staff_voice"], 0.5)  # agents work shifts: fairly even
    pool("chatty", g.users["customer"] + g.users["banter"] * 2 + g.users["casual"]
         + g.users["champion"] + g.users["asker"], 1.2)


def _pick(g: _Gen, name: str, lang: str | None = None) -> _User | None:
    """Someone from a group (in a language), the more active the likelier; None if nobody."""
    entry = g.pools.get(name if lang is None else f"{name}:{lang}")
    if entry is None:
        return None
    people, cum = entry
    return people[min(len(people) - 1, bisect(cum, g.rng.random() * cum[-1]))]


def _asker(g: _Gen, lang: str, avoid: list[int] = ()) -> _User:
    pool = g.by_lang[lang] or g.by_lang["en"]
    for _ in range(8):
        u = g.rng.choice(pool)
        if u.id not in avoid:
            return u
    fresh = [u for u in pool if u.id not in avoid]  # a small language: look through everyone
    return g.rng.choice(fresh) if fresh else u


def _plan(g: _Gen) -> None:
    """Planted activity: each champion's answers (in and before the window), amplifications and
    shares; each casual helper's one or two answers; each ring's fake help. Brand broadcasts
    (fixes, promos, giveaways) are on a calendar that grows slowly with the community."""
    r, n = g.rng, g.spec.tweets
    scale = max(1.0, n / 3000)
    champs = g.users["champion"]
    k = len(champs)
    tiers = (["very active"] * max(1, round(0.12 * k)) + ["regular"] * max(2, round(0.3 * k)))
    tiers = (tiers + ["occasional"] * k)[:k]
    r.shuffle(tiers)
    slots = g.slots
    early = (WINDOW_DAYS, DAYS)
    window = (0, WINDOW_DAYS)
    for c, tier in zip(champs, tiers):
        lo, hi = {"very active": (15, 40), "regular": (7, 14), "occasional": (3, 6)}[tier]
        inside = r.randint(lo, hi)
        before = 0 if r.random() < 0.25 else round(inside * r.uniform(0.1, 0.45))
        # Busy helpers are often thanked rarely; occasional ones answer when they are sure. Every
        # champion is thanked at least twice in the window by someone they helped: at least as
        # often as a casual helper (one or two answers) can be.
        rate = r.uniform(*{"very active": (0.12, 0.6), "regular": (0.18, 0.75),
                           "occasional": (0.4, 0.9)}[tier])
        p = g.plans[c.username] = _Plan(tier, c.langs, round(rate, 2), inside, before)
        p.left_in_window = inside
        slots += [("help", c, window)] * inside + [("help", c, early)] * before
        amp = {"very active": (0, 14), "regular": (0, 7), "occasional": (0, 2)}[tier]
        slots += [("amplify", c)] * r.randint(*amp)
        shares = {"very active": (0, 4), "regular": (0, 2), "occasional": (0, 1)}[tier]
        slots += [("share", c)] * r.randint(*shares)
    for c in g.users["casual"]:
        slots.append(("help", c, window if r.random() < 0.8 else early))
        if r.random() < 0.5:
            slots.append(("help", c, window if r.random() < 0.8 else early))
    for ring in g.rings:
        slots += [("ring", ring)] * (len(ring) * r.randint(10, 18))
    slots += [("brand_fix",)] * round(40 * scale ** 0.5)
    g.promos = round(25 * scale ** 0.5)
    slots += [("promo",)] * g.promos
    slots += [("contest",)] * max(2, round(2 * scale ** 0.4))
    r.shuffle(slots)


# ---------------------------------------------------------------------------------------------
# Threads.

def _request_thread(g: _Gen, w: _Writer, asker: _User | None = None, lang: str | None = None,
                    when: int | None = None, helper: _User | None = None) -> None:
    """A customer's problem or question and what follows: the brand, agents, businesses,
    "me too"s, link droppers, trolls; and, when ``helper`` is given, a helper's answer with
    content, maybe a follow-up question, and the asker's thanks as a reply to the answer."""
    r, U = g.rng, g.users
    if lang is None:
        lang = _lang(r)
    plan = g.plans.get(helper.username) if helper is not None else None
    if asker is None:
        asker = _asker(g, lang, (plan.helped if plan else []) + ([helper.id] if helper else []))
    when = when or _when(g)
    brand = U["brand"][3] if lang == "id" else U["brand"][1] if lang == "es" else U["brand"][0]
    thing, fault = _problem(g, lang)
    qa = r.choice(QA[lang]) if lang in QA and r.random() < 0.2 else None  # a question
    text, tl = _fill(g, lang, "request", thing=thing, fault=fault, brand=brand.username,
                     template=qa[0] if qa else None)
    req = _tweet(g, w, asker, text, when, lang=tl)
    to_brand = f"@{brand.username}" in text
    if to_brand and r.random() < 0.55:
        at = _later(when, g, 300, 5 * 3600)
        text, bl = _fill(g, lang, "brand_reply", thing=thing, fault=fault, who=asker.username,
                         template=r.choice(T[lang]["brand_q"]) if qa else None)
        b = _tweet(g, w, brand, text, at, lang=bl, reply_to=req)
        if "DM" in text and r.random() < 0.3:
            _say(g, w, asker, lang, "to_brand", _later(at, g), reply_to=b, who=brand.username)
    if r.random() < 0.04 / max(1.0, g.spec.tweets / 20_000) ** 0.5:
        _agent_reply(g, w, r.choice(U["staff"]), asker, req, when, lang, thing, fault, qa)
    if r.random() < 0.05 and lang in ("en", "es", "id"):
        a = _pick(g, "staff_voice", lang)
        if a is not None:
            _agent_reply(g, w, a, asker, req, when, lang, thing, fault, qa)
    if r.random() < 0.025 and lang in ("en", "es", "id") and not qa:
        b = _pick(g, "business", lang)
        if b is not None:
            at = _later(when, g, 600, 10 * 3600)
            rep = _say(g, w, b, lang, "business_help", at, reply_to=req, thing=thing,
                       fault=fault, who=asker.username)
            if r.random() < 0.35:
                _say(g, w, asker, lang, "business_thanks", _later(at, g), reply_to=rep,
                     who=b.username)
    if r.random() < 0.12 and not qa:
        _me_too(g, w, asker, req, when, lang)
    if r.random() < 0.2:
        d = _pick(g, "dropper")
        at = _later(when, g, 60, 3 * 3600)
        text, _ = _fill(g, "en", "link_drop", who=asker.username)
        rep = _tweet(g, w, d, text, at, lang="zxx" if text.count(" ") == 1 else "en",
                     reply_to=req)
        x = r.random()
        if x < 0.05:
            _tweet(g, w, asker, f"@{d.username} {_fill(g, lang, 'thanks')[0]}", _later(at, g),
                   lang=_has(lang, "thanks"), reply_to=rep)
        elif x < 0.35:
            _tweet(g, w, asker, f"@{d.username} {_fill(g, lang, 'negative')[0]}", _later(at, g),
                   lang=_has(lang, "negative"), reply_to=rep)
    if lang == "en" and r.random() < 0.07:
        t = _pick(g, "troll")
        at = _later(when, g, 120, 8 * 3600)
        rep = _say(g, w, t, "en", "troll", at, reply_to=req, thing=thing, fault=fault,
                   who=asker.username)
        if r.random() < 0.5:
            _say(g, w, asker, "en", "troll_reply", _later(at, g), reply_to=rep, who=t.username)
    if helper is not None:
        _help(g, w, helper, asker, req, when, lang, thing, plan, qa[1] if qa else None)


def _help(g: _Gen, w: _Writer, helper: _User, asker: _User, req: int, when: int,
          lang: str, thing: str, plan: _Plan | None, answers: list[str] | None) -> None:
    r = g.rng
    at = _later(when, g, 5 * 60, 8 * 3600)
    text, tl = _answer(g, lang, asker.username, thing, answers)
    last = _tweet(g, w, helper, text, at, lang=tl, reply_to=req)
    answer = last
    if not answers and r.random() < 0.12:  # the asker asks for more, the helper explains
        i = r.randrange(len(T[tl]["followup"]))
        at = _later(at, g, 120, 3 * 3600)
        q = _tweet(g, w, asker, f"@{helper.username} {T[tl]['followup'][i]}", at, lang=tl,
                   reply_to=last)
        at = _later(at, g, 120, 3 * 3600)
        last = _tweet(g, w, helper, f"@{asker.username} {T[tl]['followup_answer'][i]}", at,
                      lang=tl, reply_to=q)
    in_window = when >= g.end_ts - WINDOW_DAYS * 86400
    rate = plan.thank_rate if plan else 0.45
    if plan is not None:
        plan.helped.append(asker.id)
        if in_window:
            plan.left_in_window -= 1
            if asker.id not in plan.helped_in_window:
                plan.helped_in_window.append(asker.id)
    force = (plan is not None and in_window
             and plan.left_in_window < MIN_THANKS - plan.thanked_in_window)
    x = r.random()
    at = _later(at, g, 120, 10 * 3600)
    if force or x < rate:
        text = f"@{helper.username} {_fill(g, lang, 'thanks')[0]}"
        _tweet(g, w, asker, text, at, lang=_short_lang(g, text, _has(lang, "thanks")),
               reply_to=last)
        if plan is not None and in_window:
            plan.thanked_in_window += 1
    elif x < rate + 0.05:
        _tweet(g, w, asker, f"@{helper.username} {_fill(g, lang, 'negative')[0]}", at,
               lang=_has(lang, "negative"), reply_to=last)
    elif x < rate + 0.15:
        _tweet(g, w, asker, f"@{helper.username} {_fill(g, lang, 'maybe')[0]}", at,
               lang=_has(lang, "maybe"), reply_to=last)
    if plan is not None and r.random() < 0.06:
        brand = g.users["brand"][3 if lang == "id" else 1 if lang == "es" else 0]
        _say(g, w, brand, brand.lang, "brand_thanks_helper", _later(at, g), reply_to=answer,
             who=helper.username)
    if r.random() < 0.04:
        other = _asker(g, lang, [asker.id])
        _tweet(g, w, other, f"@{helper.username} {_fill(g, lang, 'also_thanks')[0]}",
               _later(at, g, 3600, 3 * 86400), lang=_has(lang, "also_thanks"), reply_to=answer)


def _agent_reply(g: _Gen, w: _Writer, agent: _User, asker: _User, req: int, when: int,
                 lang: str, thing: str, fault: str, qa: tuple | None) -> None:
    """Staff answering in brand voice: configured staff sign nothing, agents on personal
    accounts sign with their initials. Most ask for a DM, some give steps."""
    r = g.rng
    at = _later(when, g, 600, 6 * 3600)
    x = r.random()
    key = "agent_q" if qa else "agent_steps" if x < 0.3 else "agent_info" if x < 0.45 else "agent"
    if key not in T[lang]:
        key = "agent"
    text, tl = _fill(g, lang, key, thing=thing, fault=fault, who=asker.username,
                     sig=agent.sig)
    rep = _tweet(g, w, agent, text.rstrip(), at, lang=tl, reply_to=req)
    if r.random() < 0.45:
        _say(g, w, asker, tl, key + "_back", _later(at, g, 120, 5 * 3600), reply_to=rep,
             who=agent.username)


def _me_too(g: _Gen, w: _Writer, op: _User, tweet: int, when: int, lang: str) -> None:
    r = g.rng
    used: set[str] = set()
    seen = [op.id]
    for _ in range(1 if r.random() < 0.7 else r.randint(2, 4)):
        b = _pick(g, "banter", lang) or _asker(g, lang, seen)
        if b.id in seen:
            continue
        seen.append(b.id)
        at = _later(when, g, 60, 12 * 3600)
        text, tl = _fill(g, lang, "same", used=used, who=op.username)
        rep = _tweet(g, w, b, text, at, lang=_short_lang(g, text, tl), reply_to=tweet)
        if r.random() < 0.3:
            _say(g, w, op, lang, "same_back", _later(at, g), reply_to=rep, who=b.username)


def _brand_fix(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    brand = r.choices([U["brand"][0], U["brand"][1], U["brand"][3]], [6, 2, 1])[0]
    when = _when(g)
    fix = _say(g, w, brand, brand.lang, "brand_fix", when)
    g.keep.add(fix)
    g.brand_fixes.setdefault(brand.lang, []).append((fix, when))
    for b in U["bot"]:
        _tweet(g, w, b, "", when + _ri(r, 2, 20), retweet=fix)
    people = g.by_lang.get(brand.lang) or g.by_lang["en"]
    for cu in r.sample(people, k=min(3, len(people))):
        if r.random() < 0.3:
            _tweet(g, w, cu, "", _later(when, g), retweet=fix)


def _amplify(g: _Gen, w: _Writer, c: _User) -> None:
    r = g.rng
    fixes = [f for lang in c.langs for f in g.brand_fixes.get(lang, ())] or \
        g.brand_fixes.get("en")
    if not fixes:
        _brand_fix(g, w)
        fixes = g.brand_fixes["en"] if "en" in g.brand_fixes else next(
            iter(g.brand_fixes.values()))
    fix, when = r.choice(fixes)
    at = _later(when, g, 300, 2 * 86400)
    if r.random() < 0.7:
        _tweet(g, w, c, "", at, retweet=fix)
    else:
        lang = g.by_id[fix][1].lang
        _say(g, w, c, lang if lang in c.langs else c.lang, "quote", at, quote=fix)


def _share(g: _Gen, w: _Writer, c: _User) -> None:
    _say(g, w, c, g.rng.choice(c.langs), "share", _when(g, 0, WINDOW_DAYS))


def _promo(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    brand = U["brand"][2]
    when = _when(g)
    promo = _say(g, w, brand, "en", "promo", when)
    g.keep.add(promo)
    for b in U["bot"]:
        _tweet(g, w, b, "", when + _ri(r, 2, 20), retweet=promo)
    fans, _ = g.pools["fan"]  # each fan takes part in 15 or so promotions
    share = min(0.5, 15 / max(1, g.promos))
    for f in r.sample(fans, k=max(1, round(len(fans) * share))):
        if r.random() < 0.7:
            _tweet(g, w, f, "", _later(when, g), retweet=promo)
        else:
            at = _later(when, g)
            q = _say(g, w, f, f.lang, "fan", at, quote=promo)
            if r.random() < 0.3:
                _say(g, w, brand, "en", "fan_thanks", _later(at, g), reply_to=q,
                     who=f.username)
    for b in U["business"]:
        if r.random() < 0.2:
            _tweet(g, w, b, "", _later(when, g), retweet=promo)


def _contest(g: _Gen, w: _Writer) -> None:
    """A giveaway by @Acme: many entries, friends tagged, entrants teasing each other, a
    winner."""
    r, U = g.rng, g.users
    brand = U["brand"][2]
    when = _when(g, 3, DAYS)
    post = _say(g, w, brand, "en", "contest", when, thing=r.choice(RETAIL["en"]), fault="")
    g.keep.add(post)
    for b in U["bot"]:
        _tweet(g, w, b, "", when + _ri(r, 2, 20), retweet=post)
    entries, entered = [], set()
    for _ in range(r.randint(12, 40)):
        x = r.random()
        who = (_pick(g, "banter") if x < 0.6 else _pick(g, "fan") if x < 0.7
               else _asker(g, r.choice(("en", "en", "es"))))
        if who.id in entered:
            continue
        entered.add(who.id)
        lang = who.lang if "contest_entry" in T[who.lang] else "en"
        friend = _pick(g, "banter")
        if friend is who:
            friend = _pick(g, "chatty")
        at = _later(when, g, 60, 2 * 86400)
        e = _say(g, w, who, lang, "contest_entry", at, reply_to=post, friend=friend.username)
        entries.append((e, who, at, lang))
        if r.random() < 0.3:
            other = _pick(g, "banter", lang) or friend
            if other is not who:
                at2 = _later(at, g, 60, 4 * 3600)
                rep = _say(g, w, other, lang, "contest_reply", at2, reply_to=e, who=who.username)
                if r.random() < 0.5:
                    _say(g, w, who, lang, "contest_back", _later(at2, g), reply_to=rep,
                         who=other.username)
    e, who, at, lang = r.choice(entries)
    win = _say(g, w, brand, "en", "contest_win", _later(at, g, 2 * 86400, 3 * 86400),
               reply_to=e, who=who.username)
    _say(g, w, who, lang, "contest_thanks", _later(at, g, 3 * 86400, 4 * 86400), reply_to=win,
         who=brand.username)


def _praise(g: _Gen, w: _Writer) -> None:
    """Banter: praise of a new gadget or a joke about a broken one, and friends replying."""
    r = g.rng
    op = _pick(g, "banter")
    lang = op.lang
    key = "joke" if r.random() < 0.3 and "joke" in T[lang] else "praise"
    when = _when(g)
    thing = r.choice(GADGETS.get(lang, GADGETS["en"])) if key == "praise" else None
    post = _say(g, w, op, lang, key, when, thing=thing, fault="" if thing else None)
    used: set[str] = set()
    seen = [op.id]
    asked: set[str] = set()
    for _ in range(r.randint(1, 5)):
        f = _pick(g, "banter", lang) or _pick(g, "chatty", lang)
        if f is None or f.id in seen:
            continue
        seen.append(f.id)
        at = _later(when, g, 60, 8 * 3600)
        if key == "joke":
            rep = _say(g, w, f, lang, "joke_reply", at, reply_to=post, used=used,
                       who=op.username)
            if r.random() < 0.3:
                _say(g, w, op, lang, "joke_back", _later(at, g), reply_to=rep, who=f.username)
        elif r.random() < 0.35 and "praise_q" in T[lang]:
            i = r.randrange(len(T[lang]["praise_q"]))
            if T[lang]["praise_q"][i] in asked:
                continue
            asked.add(T[lang]["praise_q"][i])
            q = _say(g, w, f, lang, "", at, reply_to=post, who=op.username,
                     template=T[lang]["praise_q"][i])
            if r.random() < 0.7:
                at = _later(at, g)
                a = _say(g, w, op, lang, "", at, reply_to=q, who=f.username,
                         template=T[lang]["praise_a"][i])
                if r.random() < 0.4:
                    _say(g, w, f, lang, "praise_end", _later(at, g), reply_to=a,
                         who=op.username)
        else:
            text, tl = _fill(g, lang, "praise_reply", used=used, who=op.username)
            _tweet(g, w, f, text, at, lang=_short_lang(g, text, tl), reply_to=post)


def _business_post(g: _Gen, w: _Writer) -> None:
    """A retailer's post in first-person plural; customers ask about stock and hours, and are
    answered as "we"."""
    r = g.rng
    b = _pick(g, "business")
    lang = b.lang
    when = _when(g)
    thing = r.choice(RETAIL[lang])
    post = _say(g, w, b, lang, "business_post", when, thing=thing, fault="")
    if "RT" in g.by_id[post][0]["text"]:
        for _ in range(r.randint(2, 8)):
            _tweet(g, w, _pick(g, "banter") or _pick(g, "chatty"), "", _later(when, g),
                   retweet=post)
    seen: list[int] = []
    questions = list(range(len(T[lang]["business_q"])))
    r.shuffle(questions)
    for i in questions[:r.choice((0, 0, 1, 1, 2, 3))]:
        cu = _asker(g, lang, seen)
        seen.append(cu.id)
        at = _later(when, g, 300, 12 * 3600)
        city = r.choice(CITIES[lang])
        q = _say(g, w, cu, lang, "", at, reply_to=post, thing=thing, fault="", city=city,
                 who=b.username, template=T[lang]["business_q"][i])
        if r.random() < 0.8:
            at = _later(at, g, 300, 6 * 3600)
            a = _say(g, w, b, lang, "", at, reply_to=q, thing=thing, fault="", city=city,
                     who=cu.username, template=T[lang]["business_a"][i])
            if r.random() < 0.5:
                _say(g, w, cu, lang, "business_end", _later(at, g), reply_to=a, who=b.username)


def _ring(g: _Gen, w: _Writer, ring: list[_User]) -> None:
    """A gaming ring's fake help: a question from one member, a copied fix from another, thanks,
    and the others piling on. Nobody outside the ring is involved."""
    r = g.rng
    a, b, c = r.sample(ring, 3)
    lang = a.lang
    when = _when(g, 0, 70)
    thing, fault = _problem(g, lang)
    brand = BRANDS.get(lang, BRANDS["en"])
    text, tl = _fill(g, lang, "request", thing=thing, fault=fault, brand=brand)
    if r.random() < 0.6:  # most of their questions tag nobody
        text = " ".join(x for x in text.split() if x != f"@{brand}")
    q = _tweet(g, w, a, text, when, lang=tl)
    at = _later(when, g, 120, 40 * 60)
    text, tl = _answer(g, lang, a.username, thing)
    ans = _tweet(g, w, b, text, at, lang=tl, reply_to=q)
    if r.random() < 0.9:
        _tweet(g, w, a, f"@{b.username} {_fill(g, lang, 'thanks')[0]}", _later(at, g, 60, 3600),
               lang=tl, reply_to=ans)
    if r.random() < 0.3:
        _tweet(g, w, c, f"@{b.username} {_fill(g, lang, 'also_thanks')[0]}",
               _later(at, g, 60, 7200), lang=_has(lang, "also_thanks"), reply_to=ans)
    if r.random() < 0.25:
        _tweet(g, w, c, "", _later(at, g, 60, 7200), retweet=ans)
    if r.random() < 0.1:
        _say(g, w, r.choice(ring), lang, "quote", _later(at, g, 60, 7200), quote=ans,
             thing=thing, fault=fault)


def _complaint(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    c = _pick(g, "complainer")
    brand = U["brand"][0]
    when = _when(g)
    thing, fault = _problem(g, "en")
    t = _say(g, w, c, "en", "complaint", when, thing=thing, fault=fault, brand=brand.username)
    _say(g, w, brand, "en", "brand_reply", _later(when, g), reply_to=t, thing=thing,
         fault=fault, who=c.username)
    if r.random() < 0.5:
        _me_too(g, w, c, t, when, "en")
    if r.random() < 0.3:
        _say(g, w, c, "en", "complaint_end", _later(when, g, 86400, 3 * 86400),
             brand=brand.username)


def _chatter(g: _Gen, w: _Writer) -> None:
    r = g.rng
    u = _pick(g, "chatty")
    lang = r.choice(u.langs or (u.lang,))
    when = _when(g)
    t = _say(g, w, u, lang, "chatter", when)
    if r.random() < 0.3:
        f = _pick(g, "banter", lang) or _pick(g, "chatty", lang)
        if f is not None and f is not u:
            at = _later(when, g, 60, 4 * 3600)
            text, tl = _fill(g, lang, "chat_reply", who=u.username)
            rep = _tweet(g, w, f, text, at, lang=_short_lang(g, text, tl), reply_to=t)
            if r.random() < 0.4:
                text, tl = _fill(g, lang, "chat_back", who=f.username)
                _tweet(g, w, u, text, _later(at, g), lang=_short_lang(g, text, tl),
                       reply_to=rep)


def _slot(g: _Gen, w: _Writer, slot: tuple) -> None:
    kind = slot[0]
    if kind == "help":
        _, helper, (lo, hi) = slot
        lang = g.rng.choice(helper.langs) if len(helper.langs) == 1 or g.rng.random() < 0.3 \
            else helper.langs[0]
        _request_thread(g, w, None, lang, _when(g, lo + 0.5, hi - 0.5), helper)
    elif kind == "amplify":
        _amplify(g, w, slot[1])
    elif kind == "share":
        _share(g, w, slot[1])
    elif kind == "ring":
        _ring(g, w, slot[1])
    elif kind == "brand_fix":
        _brand_fix(g, w)
    elif kind == "promo":
        _promo(g, w)
    elif kind == "contest":
        _contest(g, w)


def generate_demo(out: Path, spec: DemoSpec) -> dict[str, Any]:
    """Write the community to ``out`` (twarc2 JSONL) and its truth beside it; return the truth."""
    end = spec.end()
    g = _Gen(spec, random.Random(spec.seed), end_ts=int(end.timestamp()))
    g.retrieved_at = end.isoformat()
    _people(g)
    _plan(g)
    w = _Writer(out)
    r = g.rng
    n, slots, done_slots = spec.tweets, g.slots, 0
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of small dicts and no cycles: the cyclic GC would only cost time
    try:
        while g.written + len(g.out) < n:
            # Planted activity keeps pace with the file, so it is spread through all of it.
            if done_slots < len(slots) and done_slots * n <= (g.written + len(g.out)) * len(slots):
                _slot(g, w, slots[done_slots])
                done_slots += 1
                continue
            x = r.random()
            if x < 0.50:
                _request_thread(g, w)
            elif x < 0.57:
                _complaint(g, w)
            elif x < 0.65:
                _praise(g, w)
            elif x < 0.68:
                _business_post(g, w)
            else:
                _chatter(g, w)
        for slot in slots[done_slots:]:
            _slot(g, w, slot)
        w.page(g)
    finally:
        w.close()
        if gc_was_on:
            gc.enable()
    names = {k: [u.username for u in v] for k, v in g.users.items()}
    truth = {"champions": names["champion"], "brand": names["brand"], "staff": names["staff"],
             "bots": names["bot"],
             "distractors": {k: names[k] for k in ("complainer", "fan", "asker", "troll",
                                                  "dropper", "casual", "banter", "business",
                                                  "staff_voice", "ring")},
             "rings": [[u.username for u in ring] for ring in g.rings],
             "champion_activity": {
                 name: {"tier": p.tier, "langs": list(p.langs), "thank_rate": p.thank_rate,
                        "answers_in_window": p.window_answers,
                        "people_helped_in_window": len(p.helped_in_window),
                        "answers_before_window": p.early_answers,
                        "thanked_in_window": p.thanked_in_window}
                 for name, p in g.plans.items()},
             "settings": DEMO_SETTINGS, "seed": spec.seed, "tweets": g.written,
             "today": end.date().isoformat(),
             "window_days": WINDOW_DAYS}
    out.with_suffix(".truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False),
                                              encoding="utf-8")
    return truth
