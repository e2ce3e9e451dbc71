#!/usr/bin/env python3
"""Fill the archive's tables with a large, realistic synthetic corpus, loaded fast.

Usage:
    DATABASE_URL=postgres://… .venv/bin/python manage.py migrate
    .venv/bin/python bench/make_corpus.py [--statements N] [--seed S] [--streams K]
        [--speakers N] [--database-url URL] [--reset]

The database must be migrated and its statements tables empty (`--reset` empties them
first: every `statements_*` table, topics and import history included). The same seed
gives the same corpus, whatever the number of streams.


What is generated
=================

N statements (default 1,000,000) in transcripts of ~30 statements (so ~33,000 transcripts
for a million), 70 % English and 30 % Russian, like mid.ru's ratio of English to Russian
items.

English text is real: every paragraph of the 77 real transcripts of fixtures/transcripts/
and fixtures/corpus/ (the seed, 56 Kremlin pages, 20 White House briefings; the Singapore
MFA records are left out: they state no licence and are for tests only; ../shared/corpus/
holds the same Kremlin files), split by the project's own parser (`parse_source`): 5,650
paragraphs of speech and 1,179 of questions, 273,000 words, ~7,900 distinct English
lexemes. A statement joins 1-4 of them, drawn mostly (80 %) from one source transcript per
generated transcript, so that the words of a statement go together as in real speech (a
Syria answer next to Syria words). A million statements reuse each paragraph a few hundred
times: word frequencies and co-occurrences are real, the text far less varied than a real
archive's (fewer distinct lexemes, so fewer and longer GIN posting lists).

Russian text is mostly not real: the repository holds one short Russian transcript (the
RUSSIAN string of statements/tests/conftest.py, five usable sentences). Its sentences are
used, with 55 common diplomatic sentences and 15 questions written for this script and
sentences built from templates (subject + verb + one of 40 themes + one of 37 partner
countries, grammatical forms written out by hand), grouped in 80 made-up "sources" with
three themes each. The vocabulary is therefore tiny: ~560 word forms, ~410 Russian
lexemes. Russian posting lists are much longer and less varied than a real Russian
archive's, and Russian relevance ranking is not realistic.

Statements average ~95 words (20-400); questions are shorter than answers. Speakers:
~2,000, with a Zipf-like distribution whose exponent is solved so that the five most
frequent speakers have ~40 % of transcripts (real names first: Sergey Lavrov, Maria
Zakharova, Vladimir Putin, Dmitry Peskov, John Kirby, …; then generated Russian and
foreign names, each with a Cyrillic form used in Russian transcripts, "С.В.Лавров").
Questions have no speaker and the label "Question" / "Вопрос"; answers point to their
question (reply_to); the kinds are opening, question, answer and remarks, in the shapes of
press conferences, briefings, interviews and speeches. Dates span 2000-2025 (more recent
years have more transcripts) and follow the ids, as in an archive filled chronologically.
12 topics with web-search queries in both languages tag the statements they match.
Each transcript's source_text is the transcript rendered in mid.ru's plain-text layout
(bench/import.py writes the same files), its content_hash the import service's hash of it.


How it is loaded
================

1. The secondary indexes and constraints of statements_statement (the GIN index, the
   b-trees, the (transcript, position) unique constraint, the foreign keys) and of
   statements_statementtopic are dropped; their definitions are read from the catalog
   first and kept in var/bench-corpus/<database>.dropped-ddl.json until they are rebuilt,
   so an interrupted run restores them on the next one.
2. K streams (processes, default 2) each generate batches of 500 transcripts as COPY text
   in memory and COPY them (copy_expert) into statements_transcript and
   statements_statement with explicit ids, committing per batch. PostgreSQL computes the
   stored generated `search_vector` during COPY; to_tsvector alone runs at ~9,800 rows/s
   per core here (English 9,700, Russian 7,700), about half of the COPY's cost; two
   streams use both cores while Python generates the next batch.
3. The statements' indexes are rebuilt, the GIN index in one session while the b-trees
   are built in another (one per core), with maintenance_work_mem = 1GB (a GIN build is
   much faster when its posting lists fit in memory); then the unique constraint is
   attached to its index and the foreign keys validated (one join each).
4. Topic tagging is one INSERT … SELECT per topic, with the WHERE clause compiled from
   statements.search.matching() itself, so it is exactly the condition the import uses;
   the tags table has no index or foreign key meanwhile (with them, the deferred
   foreign-key checks at commit cost more than the INSERT). Its indexes follow.
5. VACUUM ANALYZE: statistics for the planner, and the visibility map and hint bits set
   now rather than by the first searches (this server runs with autovacuum off).
6. The champion lists (statements/champions.py: `rebuild`, as `manage.py build_champions`
   does; their trigger is off during the load), and the speakers' counts.

Measured (1,000,000 statements, 2 streams, the settings below): load 116 s (8,600 rows/s;
each stream's COPY 5,200 rows/s, its Python 27,000 rows/s; one stream: 4,850 rows/s on
100,000), GIN build 34 s (the b-trees meanwhile), keys 3 s, topic tagging 12 s (1.5 M tags),
tag indexes 5 s, VACUUM ANALYZE 3 s: 176 s in all. statements_statement 1,176 MB heap,
1,724 MB with TOAST and indexes; GIN index 118 MB.


Server settings used for the measurements (PostgreSQL 15, 2 cores, 24 GB RAM)
==========================================================================

    ALTER SYSTEM SET shared_buffers = '4GB';          -- needs a restart; default 128MB
    ALTER SYSTEM SET effective_cache_size = '16GB';   -- most of RAM is OS page cache
    ALTER SYSTEM SET work_mem = '32MB';               -- facet GROUP BYs, sorts of matches
    ALTER SYSTEM SET maintenance_work_mem = '1GB';    -- GIN and b-tree builds, VACUUM
    ALTER SYSTEM SET max_wal_size = '8GB';            -- no checkpoint storm during COPY
    ALTER SYSTEM SET random_page_cost = 1.1;          -- the data set is cached in RAM
    -- then: pg_ctlcluster --skip-systemctl-redirect 15 main restart

The script itself also sets maintenance_work_mem = 1GB for its index builds, and
synchronous_commit = off for its own session (a crash would lose the last batches, which
a re-run with --reset regenerates).
"""

import argparse
import ast
import csv
import datetime as dt
import io
import json
import math
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import psycopg2

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from statements.parsing import SUPPORTED_EXTENSIONS, parse_source  # noqa: E402
from statements.parsing.assemble import transcript_kind  # noqa: E402
from statements.parsing.names import normalize  # noqa: E402
from statements.slugs import ascii_slug  # noqa: E402

POOL_FOLDERS = [BASE_DIR / "fixtures" / "transcripts", BASE_DIR / "fixtures" / "corpus"]
# The Singapore MFA records state no licence and are for tests only (fixtures/corpus/README).
EXCLUDED_SOURCES = {"sg-mfa-press"}
CONFTEST = BASE_DIR / "statements" / "tests" / "conftest.py"
DDL_FOLDER = BASE_DIR / "var" / "bench-corpus"

START_DATE, END_DATE = dt.date(2000, 1, 1), dt.date(2025, 12, 31)
RUSSIAN_SHARE = 0.3
STATEMENTS_PER_TRANSCRIPT = 30
TOP5_SHARE = 0.40
BATCH_TRANSCRIPTS = 500
MAX_WORDS, MIN_WORDS = 400, 20
SAME_SOURCE_SHARE = 0.8  # paragraphs taken from the transcript's own source transcript
# Made-up Russian "source transcripts", each with its own themes.
RUSSIAN_SOURCES, RUSSIAN_SPEECH_PARAGRAPHS, RUSSIAN_QUESTION_PARAGRAPHS = 80, 250, 60

# fmt: off
# (English name, Cyrillic form as mid.ru prints it, its genitive, English role,
#  Russian role (nominative, genitive), "ru" for a Russian official, else "foreign").
REAL_SPEAKERS = [
    ("Sergey Lavrov", "С.В.Лавров", "С.В.Лаврова", "Foreign Minister",
     ("Министр иностранных дел России", "Министра иностранных дел России"), "ru"),
    ("Maria Zakharova", "М.В.Захарова", "М.В.Захаровой", "Foreign Ministry Spokeswoman",
     ("Официальный представитель МИД России", "Официального представителя МИД России"), "ru"),
    ("Vladimir Putin", "В.В.Путин", "В.В.Путина", "President of Russia",
     ("Президент России", "Президента России"), "ru"),
    ("Dmitry Peskov", "Д.С.Песков", "Д.С.Пескова", "Presidential Press Secretary",
     ("Пресс-секретарь Президента России", "Пресс-секретаря Президента России"), "ru"),
    ("John Kirby", "Джон Кирби", "Джона Кирби", "National Security Council Coordinator",
     ("Координатор Совета национальной безопасности США", "Координатора Совета национальной безопасности США"), "foreign"),
    ("Sergey Ryabkov", "С.А.Рябков", "С.А.Рябкова", "Deputy Foreign Minister",
     ("Заместитель Министра иностранных дел России", "Заместителя Министра иностранных дел России"), "ru"),
    ("Antony Blinken", "Энтони Блинкен", "Энтони Блинкена", "Secretary of State",
     ("Государственный секретарь США", "Государственного секретаря США"), "foreign"),
    ("Vasily Nebenzya", "В.А.Небензя", "В.А.Небензи", "Permanent Representative of Russia to the UN",
     ("Постоянный представитель России при ООН", "Постоянного представителя России при ООН"), "ru"),
    ("Ned Price", "Нед Прайс", "Неда Прайса", "State Department Spokesperson",
     ("Официальный представитель Госдепартамента США", "Официального представителя Госдепартамента США"), "foreign"),
    ("Alexander Grushko", "А.В.Грушко", "А.В.Грушко", "Deputy Foreign Minister",
     ("Заместитель Министра иностранных дел России", "Заместителя Министра иностранных дел России"), "ru"),
    ("Karine Jean-Pierre", "Карин Жан-Пьер", "Карин Жан-Пьер", "White House Press Secretary",
     ("Пресс-секретарь Белого дома", "Пресс-секретаря Белого дома"), "foreign"),
    ("Mikhail Bogdanov", "М.Л.Богданов", "М.Л.Богданова", "Deputy Foreign Minister",
     ("Заместитель Министра иностранных дел России", "Заместителя Министра иностранных дел России"), "ru"),
    ("Jen Psaki", "Джен Псаки", "Джен Псаки", "White House Press Secretary",
     ("Пресс-секретарь Белого дома", "Пресс-секретаря Белого дома"), "foreign"),
    ("Dmitry Medvedev", "Д.А.Медведев", "Д.А.Медведева", "Prime Minister of Russia",
     ("Председатель Правительства России", "Председателя Правительства России"), "ru"),
    ("Wang Yi", "Ван И", "Ван И", "Foreign Minister of China",
     ("Министр иностранных дел КНР", "Министра иностранных дел КНР"), "foreign"),
    ("Mevlut Cavusoglu", "М.Чавушоглу", "М.Чавушоглу", "Foreign Minister of Turkey",
     ("Министр иностранных дел Турции", "Министра иностранных дел Турции"), "foreign"),
    ("Beibut Atamkulov", "Б.Атамкулов", "Б.Атамкулова", "Foreign Minister of Kazakhstan",
     ("Министр иностранных дел Казахстана", "Министра иностранных дел Казахстана"), "foreign"),
    ("Matthew Miller", "Мэттью Миллер", "Мэттью Миллера", "State Department Spokesperson",
     ("Официальный представитель Госдепартамента США", "Официального представителя Госдепартамента США"), "foreign"),
    ("Vivian Balakrishnan", "Вивиан Балакришнан", "Вивиана Балакришнана", "Foreign Minister of Singapore",
     ("Министр иностранных дел Сингапура", "Министра иностранных дел Сингапура"), "foreign"),
    ("Alexander Lukashenko", "А.Г.Лукашенко", "А.Г.Лукашенко", "President of Belarus",
     ("Президент Белоруссии", "Президента Белоруссии"), "foreign"),
]

RUSSIAN_FIRST_NAMES = [
    ("Ivan", "Иван"), ("Alexei", "Алексей"), ("Andrei", "Андрей"), ("Dmitry", "Дмитрий"),
    ("Mikhail", "Михаил"), ("Nikolai", "Николай"), ("Pavel", "Павел"), ("Oleg", "Олег"),
    ("Igor", "Игорь"), ("Yury", "Юрий"), ("Viktor", "Виктор"), ("Konstantin", "Константин"),
    ("Maxim", "Максим"), ("Roman", "Роман"), ("Vladimir", "Владимир"), ("Sergey", "Сергей"),
    ("Alexander", "Александр"), ("Boris", "Борис"), ("Grigory", "Григорий"), ("Anatoly", "Анатолий"),
]
RUSSIAN_FEMALE_NAMES = [
    ("Anna", "Анна"), ("Elena", "Елена"), ("Olga", "Ольга"), ("Natalia", "Наталья"),
    ("Irina", "Ирина"), ("Tatiana", "Татьяна"), ("Svetlana", "Светлана"), ("Yulia", "Юлия"),
    ("Ekaterina", "Екатерина"), ("Maria", "Мария"),
]
RUSSIAN_SURNAMES = [
    ("Petrov", "Петров"), ("Ivanov", "Иванов"), ("Smirnov", "Смирнов"), ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"), ("Sokolov", "Соколов"), ("Lebedev", "Лебедев"), ("Kozlov", "Козлов"),
    ("Novikov", "Новиков"), ("Morozov", "Морозов"), ("Volkov", "Волков"), ("Alekseev", "Алексеев"),
    ("Pavlov", "Павлов"), ("Semenov", "Семенов"), ("Golubev", "Голубев"), ("Vinogradov", "Виноградов"),
    ("Vorobyov", "Воробьев"), ("Fedorov", "Федоров"), ("Mikhailov", "Михайлов"), ("Belyaev", "Беляев"),
    ("Tarasov", "Тарасов"), ("Belov", "Белов"), ("Komarov", "Комаров"), ("Orlov", "Орлов"),
    ("Kiselev", "Киселев"), ("Makarov", "Макаров"), ("Andreev", "Андреев"), ("Kovalev", "Ковалев"),
    ("Ilyin", "Ильин"), ("Gusev", "Гусев"), ("Titov", "Титов"), ("Kuzmin", "Кузьмин"),
    ("Kudryavtsev", "Кудрявцев"), ("Baranov", "Баранов"), ("Kulikov", "Куликов"), ("Zaitsev", "Зайцев"),
    ("Stepanov", "Степанов"), ("Nikitin", "Никитин"), ("Sorokin", "Сорокин"), ("Romanov", "Романов"),
]
PATRONYMIC_INITIALS = "АБВГДЕИКЛМНОПРСФЮЯ"
FOREIGN_FIRST_NAMES = [
    ("John", "Джон"), ("James", "Джеймс"), ("Michael", "Майкл"), ("David", "Дэвид"),
    ("Robert", "Роберт"), ("Peter", "Питер"), ("Thomas", "Томас"), ("Mark", "Марк"),
    ("Paul", "Пол"), ("Daniel", "Дэниел"), ("Anne", "Энн"), ("Sarah", "Сара"), ("Laura", "Лора"),
    ("Emma", "Эмма"), ("Claire", "Клэр"), ("Jean", "Жан"), ("Pierre", "Пьер"), ("Hans", "Ханс"),
    ("Klaus", "Клаус"), ("Marco", "Марко"), ("Ahmed", "Ахмед"), ("Mohammed", "Мохаммед"),
    ("Omar", "Омар"), ("Wei", "Вэй"), ("Hiroshi", "Хироси"), ("Carlos", "Карлос"),
    ("Luis", "Луис"), ("Raj", "Радж"), ("Kemal", "Кемаль"), ("Sofia", "София"),
    ("Lucas", "Лукас"), ("Elif", "Элиф"),
]
FOREIGN_SURNAMES = [
    ("Smith", "Смит"), ("Johnson", "Джонсон"), ("Brown", "Браун"), ("Walsh", "Уолш"),
    ("Wilson", "Уилсон"), ("Taylor", "Тейлор"), ("Clark", "Кларк"), ("Lewis", "Льюис"),
    ("Walker", "Уокер"), ("Young", "Янг"), ("Martin", "Мартен"), ("Dubois", "Дюбуа"),
    ("Schmidt", "Шмидт"), ("Weber", "Вебер"), ("Rossi", "Росси"), ("Bianchi", "Бьянки"),
    ("Hassan", "Хасан"), ("Rahman", "Рахман"), ("Zhang", "Чжан"), ("Chen", "Чэнь"),
    ("Tanaka", "Танака"), ("Suzuki", "Судзуки"), ("Garcia", "Гарсия"), ("Lopez", "Лопес"),
    ("Sharma", "Шарма"), ("Patel", "Патель"), ("Yilmaz", "Йылмаз"), ("Novak", "Новак"),
    ("Kowalski", "Ковальский"), ("Jensen", "Йенсен"), ("Larsen", "Ларсен"), ("Nielsen", "Нильсен"),
    ("Costa", "Коста"), ("Silva", "Силва"), ("Moreau", "Моро"), ("Fischer", "Фишер"),
    ("Wagner", "Вагнер"), ("Ricci", "Риччи"), ("Kim", "Ким"), ("Park", "Пак"),
]
COUNTRIES = [
    "Kazakhstan", "China", "India", "Turkey", "Iran", "Egypt", "France", "Germany", "Brazil",
    "Japan", "Syria", "Belarus", "Armenia", "Azerbaijan", "Uzbekistan", "Vietnam", "Indonesia",
    "Saudi Arabia", "Qatar", "Israel", "Argentina", "Mexico", "Cuba", "Venezuela", "Mongolia",
    "Serbia", "Hungary", "Italy", "Greece", "Pakistan", "Iraq", "Algeria", "Ethiopia", "Nigeria",
    "South Africa", "Singapore", "Finland", "Norway", "Austria", "Spain",
]
RUSSIAN_ROLES = [  # (English, Russian nominative, Russian genitive)
    ("Deputy Foreign Minister", "Заместитель Министра иностранных дел России",
     "Заместителя Министра иностранных дел России"),
    ("Ambassador of Russia", "Посол России", "Посла России"),
    ("Director of the Foreign Ministry’s Information and Press Department",
     "Директор Департамента информации и печати МИД России",
     "Директора Департамента информации и печати МИД России"),
    ("Permanent Representative of Russia to the OSCE", "Постоянный представитель России при ОБСЕ",
     "Постоянного представителя России при ОБСЕ"),
    ("Special Presidential Envoy", "Специальный представитель Президента России",
     "Специального представителя Президента России"),
    ("Director of the Second European Department", "Директор Второго европейского департамента МИД России",
     "Директора Второго европейского департамента МИД России"),
]
FOREIGN_ROLES = [  # English role pattern; Russian (nominative, genitive) without the country
    ("Foreign Minister of {}", "Министр иностранных дел", "Министра иностранных дел"),
    ("Ambassador of {}", "Посол", "Посла"),
    ("Deputy Foreign Minister of {}", "Заместитель министра иностранных дел",
     "Заместителя министра иностранных дел"),
    ("Foreign Ministry Spokesperson of {}", "Официальный представитель МИД",
     "Официального представителя МИД"),
    ("Prime Minister of {}", "Премьер-министр", "Премьер-министра"),
]
PLACES = [
    ("Moscow", "Москва"), ("Moscow", "Москва"), ("Moscow", "Москва"), ("Sochi", "Сочи"),
    ("St Petersburg", "Санкт-Петербург"), ("New York", "Нью-Йорк"), ("Geneva", "Женева"),
    ("Beijing", "Пекин"), ("Astana", "Астана"), ("Minsk", "Минск"), ("Ankara", "Анкара"),
    ("Tehran", "Тегеран"), ("Vienna", "Вена"), ("New Delhi", "Нью-Дели"), ("Cairo", "Каир"),
    ("Washington", "Вашингтон"), ("Brussels", "Брюссель"), ("Tokyo", "Токио"),
]
OUTLETS = [
    ("RIA Novosti", "агентству «РИА Новости»"), ("TASS", "агентству ТАСС"),
    ("Kommersant", "газете «Коммерсантъ»"), ("Rossiya Segodnya", "МИА «Россия сегодня»"),
    ("Al Jazeera", "телеканалу «Аль-Джазира»"), ("Xinhua", "агентству «Синьхуа»"),
    ("BBC", "телекомпании Би-би-си"), ("RT", "телеканалу RT"), ("Izvestia", "газете «Известия»"),
]
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
RUSSIAN_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                  "сентября", "октября", "ноября", "декабря"]

# Written for this script: sentences of the kind mid.ru's Russian transcripts are made of.
RUSSIAN_SENTENCES = [
    "Россия последовательно выступает за политико-дипломатическое урегулирование всех конфликтов.",
    "Мы исходим из того, что любые решения должны приниматься на основе международного права.",
    "Наша позиция по этому вопросу хорошо известна и не изменилась.",
    "Мы неоднократно предупреждали наших западных коллег о последствиях таких действий.",
    "Односторонние санкции являются нелегитимными и контрпродуктивными.",
    "Мы готовы к диалогу, но только на основе равноправия и взаимного уважения.",
    "Центральная координирующая роль ООН в международных делах не должна подвергаться сомнению.",
    "Мы договорились продолжить тесную координацию на международных площадках.",
    "Российско-китайские отношения находятся на беспрецедентно высоком уровне.",
    "Мы выступаем за неукоснительное выполнение резолюции 2254 Совета Безопасности ООН.",
    "Астанинский формат доказал свою эффективность.",
    "Ситуация в Идлибской зоне деэскалации остается сложной.",
    "Минские договоренности являются безальтернативной основой урегулирования на востоке Украины.",
    "Расширение НАТО на восток подрывает европейскую безопасность.",
    "Мы призываем американскую сторону вернуться к выполнению своих обязательств.",
    "Договор о СНВ остается важнейшим элементом стратегической стабильности.",
    "Совместный всеобъемлющий план действий по иранской ядерной программе необходимо сохранить.",
    "Борьба с международным терроризмом остается одним из наших главных приоритетов.",
    "Мы отмечаем устойчивый рост товарооборота между нашими странами.",
    "В прошлом году объем взаимной торговли вырос более чем на двадцать процентов.",
    "Большое внимание было уделено вопросам энергетического сотрудничества.",
    "Мы подписали План консультаций между министерствами иностранных дел на ближайшие два года.",
    "Благодарю за вопрос.",
    "Спасибо, это очень важный вопрос.",
    "Я уже отвечал на этот вопрос на прошлой неделе.",
    "Не буду комментировать слухи и домыслы.",
    "Мы не видим в этом ничего нового.",
    "Это не первый случай, когда западные СМИ распространяют подобную дезинформацию.",
    "Надеемся, что здравый смысл возобладает.",
    "Российская сторона направила соответствующую ноту в посольство.",
    "Мы будем и дальше защищать права и законные интересы наших соотечественников за рубежом.",
    "Евразийский экономический союз открыт для взаимовыгодного сотрудничества со всеми партнерами.",
    "Шанхайская организация сотрудничества становится все более авторитетным объединением.",
    "Мы приветствуем усилия по нормализации обстановки в регионе.",
    "Гуманитарная ситуация требует безотлагательного внимания международного сообщества.",
    "Мы передали нашим коллегам подробные предложения по этому вопросу.",
    "Переговоры прошли в конструктивной и доверительной атмосфере.",
    "Мы условились регулярно сверять часы по ключевым международным проблемам.",
    "Российская делегация примет участие в заседании на уровне министров.",
    "Визит состоится в первой половине следующего года.",
    "Дамы и господа, добрый день.",
    "Сегодня у нас насыщенная повестка дня.",
    "Мы решительно осуждаем этот террористический акт.",
    "Выражаем искренние соболезнования семьям погибших.",
    "Попытки переписать историю Второй мировой войны недопустимы.",
    "Мы выступаем против милитаризации космического пространства.",
    "Информационная безопасность стала одной из ключевых тем нашей повестки.",
    "Ответственность за эскалацию полностью лежит на Вашингтоне.",
    "Мы рассчитываем на объективное расследование этого инцидента.",
    "Поставки российского газа в Европу осуществляются в полном соответствии с контрактами.",
    "Мы внимательно следим за развитием ситуации на Корейском полуострове.",
    "Палестино-израильское урегулирование должно основываться на решениях ООН.",
    "Все больше стран переходит на расчеты в национальных валютах.",
    "Мы открыты для совместной работы по укреплению региональной безопасности.",
    "Подробности мы сообщим дополнительно.",
]
RUSSIAN_QUESTIONS = [
    "Как Вы прокомментируете последние заявления Вашингтона?",
    "Когда состоится следующий раунд переговоров?",
    "Можно ли ожидать визита Президента в ближайшее время?",
    "Какова позиция России в отношении новых санкций?",
    "Не могли бы Вы прокомментировать сообщения западных СМИ?",
    "Обсуждался ли вопрос о поставках газа?",
    "Планируется ли подписание новых соглашений?",
    "Как Вы оцениваете перспективы урегулирования в Сирии?",
    "Что Вы думаете о расширении НАТО?",
    "Готова ли Россия к возобновлению диалога по стратегической стабильности?",
    "Есть ли прогресс в переговорах по иранской ядерной программе?",
    "Какие шаги предпримет Москва в ответ?",
    "Не считаете ли Вы, что ситуация зашла в тупик?",
    "Спасибо. У меня два вопроса.",
    "Добрый день, агентство ТАСС.",
]
# Themes in the accusative, for "Мы обсудили …", "Как Вы оцениваете …?".
RUSSIAN_THEMES = [
    "ситуацию в Сирии", "положение дел в Идлибской зоне деэскалации", "ход астанинского процесса",
    "ситуацию на Украине", "выполнение Минских договоренностей", "положение в Донбассе",
    "вопросы стратегической стабильности", "перспективы Договора о СНВ",
    "проблематику контроля над вооружениями", "последствия односторонних санкций",
    "санкционное давление Запада", "ситуацию вокруг иранской ядерной программы",
    "выполнение СВПД", "военную активность НАТО у российских границ", "расширение НАТО",
    "торгово-экономическое сотрудничество", "рост взаимной торговли", "инвестиционные проекты",
    "энергетическое сотрудничество", "поставки газа", "строительство газопровода",
    "борьбу с терроризмом", "противодействие террористическим угрозам",
    "взаимодействие в Совете Безопасности ООН", "реформу Совета Безопасности ООН",
    "ближневосточное урегулирование", "положение в секторе Газа", "ситуацию в Афганистане",
    "ситуацию на Корейском полуострове", "сотрудничество в рамках ШОС",
    "взаимодействие в формате БРИКС", "интеграцию в рамках ЕАЭС", "культурно-гуманитарные связи",
    "образовательные обмены", "информационную безопасность", "проблемы изменения климата",
    "ситуацию в Ливии", "положение дел в Закавказье", "миграционные вопросы",
    "защиту прав соотечественников",
]
RUSSIAN_PARTNERS = [  # instrumental case, after "с"
    "Китаем", "Индией", "Казахстаном", "Турцией", "Ираном", "Египтом", "Францией", "Германией",
    "Соединенными Штатами", "Европейским союзом", "Бразилией", "Японией", "Сирией", "Белоруссией",
    "Арменией", "Азербайджаном", "Узбекистаном", "Вьетнамом", "Индонезией", "Саудовской Аравией",
    "Объединенными Арабскими Эмиратами", "Катаром", "Израилем", "Аргентиной", "Мексикой", "Кубой",
    "Венесуэлой", "Монголией", "Сербией", "Венгрией", "Италией", "Грецией", "Пакистаном",
    "Ираком", "Алжиром", "Эфиопией", "ЮАР",
]
RUSSIAN_SUBJECTS = ["Мы", "Стороны", "Министры", "Наши коллеги", "Участники встречи", "Делегации"]
RUSSIAN_VERBS = ["обсудили", "подробно обсудили", "рассмотрели", "затронули", "проанализировали"]
RUSSIAN_OPENERS = ["Сегодня", "Вчера", "На прошлой неделе", "В ходе переговоров", "Кроме того,",
                   "В этой связи", "Также", "Прежде всего"]
RUSSIAN_TAILS = ["", " и договорились продолжить контакты", " в духе взаимного уважения",
                 " с учетом интересов всех сторон", " и наметили конкретные шаги",
                 " на основе международного права"]
RUSSIAN_NEEDS = ["продолжать обсуждать", "внимательно изучить", "всесторонне рассмотреть",
                 "еще раз обсудить"]
RUSSIAN_COOPERATION = ["сотрудничество", "диалог", "взаимодействие", "партнерство",
                       "контакты"]

# Topic queries in both languages: PostgreSQL stems each language on its own, so a topic
# must name its subject in each (see README, "Topics").
TOPICS = [
    ("Syria", "Syria OR Idlib OR Astana OR Сирия OR Сирии OR Идлибской OR астанинского"),
    ("Ukraine", "Ukraine OR Kiev OR Kyiv OR Donbass OR Украина OR Украине OR Донбассе OR Минских"),
    ("Arms control", '"arms control" OR "New START" OR "strategic stability" OR СНВ '
                     'OR "стратегической стабильности" OR "контроля над вооружениями"'),
    ("Sanctions", "sanctions OR санкций OR санкции OR санкционное"),
    ("Iran nuclear programme", "JCPOA OR (Iran nuclear) OR СВПД OR иранской"),
    ("NATO", "NATO OR НАТО"),
    ("Trade and investment", '"trade turnover" OR investment OR товарооборота OR торговли '
                             "OR инвестиционные"),
    ("Energy", "energy OR gas OR oil OR газа OR энергетического OR энергетическое"),
    ("Terrorism", "terrorism OR terrorist OR терроризмом OR террористическим OR террористический"),
    ("UN Security Council", '"Security Council" OR "Совета Безопасности" OR "Совете Безопасности"'),
    ("Middle East", '"Middle East" OR Israel OR Palestinian OR Gaza OR ближневосточное '
                    "OR Газа OR Палестино-израильское"),
    ("China", "China OR Chinese OR Beijing OR Китаем OR Российско-китайские OR КНР"),
]
# fmt: on


# ---------------------------------------------------------------------------------------
# The paragraph pool
# ---------------------------------------------------------------------------------------


Paragraph = tuple[str, int]  # (text, words), counted once here rather than per draw


@dataclass
class Source:
    """The paragraphs of one transcript: what its speakers said, and what was asked."""

    speech: list[Paragraph] = field(default_factory=list)
    questions: list[Paragraph] = field(default_factory=list)


@dataclass
class Language:
    """Every paragraph of one language, by source and all together."""

    sources: list[Source]
    speech: list[Paragraph]  # for the paragraphs drawn from anywhere
    questions: list[Paragraph]

    @classmethod
    def of(cls, sources: list[Source]) -> "Language":
        sources = [source for source in sources if source.speech]
        speech = [p for source in sources for p in source.speech]
        return cls(sources, speech, [p for source in sources for p in source.questions])


def build_pool(seed: int) -> dict[str, Language]:
    """English paragraphs of the real transcripts, split by the project's parser; Russian
    paragraphs made of real, written and templated sentences (see the module docstring)."""
    english = Language.of([_source(path) for path in _pool_files()])
    sentences = _conftest_sentences() + RUSSIAN_SENTENCES
    russian = Language.of(
        [
            _russian_source(random.Random(f"ru:{seed}:{number}"), sentences)
            for number in range(RUSSIAN_SOURCES)
        ]
    )
    return {"en": english, "ru": russian}


def _pool_files() -> list[Path]:
    return sorted(
        path
        for folder in POOL_FOLDERS
        for path in folder.rglob("*")
        if path.suffix in SUPPORTED_EXTENSIONS
        and path.stem.lower() != "readme"
        and path.parent.name not in EXCLUDED_SOURCES
        and not path.name.endswith(".ru.txt")  # the seed's Russian version: the pool is English
    )


def _source(path: Path) -> Source:
    source = Source()
    for statement in parse_source(path.read_bytes(), filename=path.name).statements:
        if statement.kind == "narrative":  # editorial text, nobody's words
            continue
        kept = [_paragraph(p) for p in statement.paragraphs if p.strip() not in ("<…>", "…")]
        (source.questions if statement.kind == "question" else source.speech).extend(kept)
    return source


def _paragraph(text: str) -> Paragraph:
    return text, len(text.split())


def _russian_source(rng: random.Random, sentences: list[str]) -> Source:
    """A made-up Russian transcript's paragraphs, mostly on three themes of its own, so
    that words go together within a statement as they do in real speech."""
    themes = rng.sample(RUSSIAN_THEMES, 3)
    speech = [
        " ".join(russian_sentence(rng, themes, sentences) for _ in range(rng.randint(3, 7)))
        for _ in range(RUSSIAN_SPEECH_PARAGRAPHS)
    ]
    questions = [
        " ".join(russian_question(rng, themes) for _ in range(rng.randint(1, 3)))
        for _ in range(RUSSIAN_QUESTION_PARAGRAPHS)
    ]
    return Source([_paragraph(p) for p in speech], [_paragraph(p) for p in questions])


def _conftest_sentences() -> list[str]:
    """The sentences of the one real-looking Russian transcript in the repository (read,
    not imported: conftest.py needs pytest and a configured Django)."""
    tree = ast.parse(CONFTEST.read_text(encoding="utf-8"))
    text = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "RUSSIAN"
    )
    paragraphs = [p for s in parse_source(text, filename="ru.txt").statements for p in s.paragraphs]
    return [sentence for p in paragraphs for sentence in _sentences(p) if len(sentence) > 15]


def _sentences(paragraph: str) -> list[str]:
    parts = paragraph.replace("? ", "?\n").replace(". ", ".\n").split("\n")
    return [part.strip() for part in parts if part.strip()]


# ---------------------------------------------------------------------------------------
# Speakers
# ---------------------------------------------------------------------------------------


@dataclass
class SpeakerSpec:
    id: int
    name: str
    cyrillic: str  # the label in Russian transcripts, "С.В.Лавров"
    cyrillic_genitive: str
    role: str
    role_ru: tuple[str, str]  # nominative, genitive
    side: str  # "ru" or "foreign"
    slug: str = ""


@dataclass
class Cast:
    """Every speaker, with the Zipf weights used to pick them."""

    speakers: list[SpeakerSpec]
    weights: list[float]  # cumulative: random.choices is then a bisection, not a sum
    russian: list[SpeakerSpec]  # those who lead Russian transcripts
    russian_weights: list[float]


def make_cast(count: int, seed: int) -> Cast:
    """The real speakers first (the most frequent), then generated ones, ~40 % Russian."""
    rng = random.Random(f"speakers:{seed}")
    specs = [_real_speaker(i, row) for i, row in enumerate(REAL_SPEAKERS, start=1)]
    russian_count = int((count - len(specs)) * 0.4)
    specs += _generated_russians(rng, len(specs) + 1, russian_count)
    specs += _generated_foreigners(rng, len(specs) + 1, count - len(specs))
    _give_slugs(specs)
    weights = zipf_weights(len(specs), TOP5_SHARE)
    russian = [(s, w) for s, w in zip(specs, weights, strict=True) if s.side == "ru"]
    return Cast(
        specs,
        list(accumulate(weights)),
        [s for s, _ in russian],
        list(accumulate(w for _, w in russian)),
    )


def _real_speaker(speaker_id: int, row: tuple) -> SpeakerSpec:
    name, cyrillic, genitive, role, role_ru, side = row
    return SpeakerSpec(speaker_id, name, cyrillic, genitive, role, role_ru, side)


def _generated_russians(rng: random.Random, first_id: int, count: int) -> list[SpeakerSpec]:
    combos = [(f, s, False) for f in RUSSIAN_FIRST_NAMES for s in RUSSIAN_SURNAMES]
    combos += [(f, s, True) for f in RUSSIAN_FEMALE_NAMES for s in RUSSIAN_SURNAMES]
    rng.shuffle(combos)
    specs = []
    for offset, ((first, first_ru), (last, last_ru), female) in enumerate(combos[:count]):
        if female:
            last, last_ru = last + "a", last_ru + "а"
        cyrillic = f"{first_ru[0]}.{rng.choice(PATRONYMIC_INITIALS)}.{last_ru}"
        role, role_nom, role_gen = rng.choice(RUSSIAN_ROLES)
        specs.append(
            SpeakerSpec(
                first_id + offset,
                f"{first} {last}",
                cyrillic,
                russian_genitive(cyrillic),
                role,
                (role_nom, role_gen),
                "ru",
            )
        )
    return specs


def _generated_foreigners(rng: random.Random, first_id: int, count: int) -> list[SpeakerSpec]:
    combos = [(f, s) for f in FOREIGN_FIRST_NAMES for s in FOREIGN_SURNAMES]
    rng.shuffle(combos)
    specs = []
    for offset, ((first, first_ru), (last, last_ru)) in enumerate(combos[:count]):
        pattern, role_nom, role_gen = rng.choice(FOREIGN_ROLES)
        specs.append(
            SpeakerSpec(
                first_id + offset,
                f"{first} {last}",
                f"{first_ru} {last_ru}",
                f"{first_ru} {last_ru}",  # foreign names are mostly left undeclined
                pattern.format(rng.choice(COUNTRIES)),
                (role_nom, role_gen),
                "foreign",
            )
        )
    return specs


def _give_slugs(specs: list[SpeakerSpec]) -> None:
    taken: set[str] = set()
    for spec in specs:
        base = slug = ascii_slug(spec.name)
        counter = 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        spec.slug = slug
        taken.add(slug)


def russian_genitive(name: str) -> str:
    """ "И.П.Петров" → "И.П.Петрова", "А.Б.Петрова" → "А.Б.Петровой" (titles only)."""
    if name.endswith(("ова", "ева", "ина")):
        return name[:-1] + "ой"
    if name.endswith(("ов", "ев", "ин")):
        return name + "а"
    return name


def zipf_weights(count: int, top5_share: float) -> list[float]:
    """Weights 1/k^s for ranks 1..count, with s solved so the top five have `top5_share`."""
    low, high = 0.3, 3.0
    for _ in range(60):
        exponent = (low + high) / 2
        weights = [k**-exponent for k in range(1, count + 1)]
        if sum(weights[:5]) / sum(weights) < top5_share:
            low = exponent
        else:
            high = exponent
    return weights


# ---------------------------------------------------------------------------------------
# Transcripts and their statements
# ---------------------------------------------------------------------------------------


@dataclass
class GeneratedStatement:
    kind: str
    speaker: SpeakerSpec | None
    label: str  # as printed: "Question", "Sergey Lavrov", "С.В.Лавров"; "" for an opening
    text: str
    reply_to: int | None = None  # index of the question an answer answers


@dataclass
class GeneratedTranscript:
    title: str
    date: dt.date
    time: dt.time
    place: str
    kind: str
    language: str
    main: SpeakerSpec
    statements: list[GeneratedStatement]


@dataclass
class Generator:
    """What every transcript is drawn from (forked into the loading processes)."""

    pool: dict[str, Language]
    cast: Cast
    seed: int

    def transcript(
        self, index: int, count: int, date: dt.date, language: str
    ) -> GeneratedTranscript:
        """Transcript number `index` with `count` statements; the same for the same seed."""
        rng = random.Random(f"{self.seed}:{index}")
        main = self._main_speaker(rng, language)
        guest = self._guest(rng, main)
        shape = rng.choices(SHAPES, weights=SHAPE_WEIGHTS)[0]
        if shape == "speech" and guest is None:
            shape = "briefing"  # a talk needs two sides
        title, place = transcript_title(rng, shape, main, guest, date, language)
        source = rng.choice(self.pool[language].sources)
        statements = [
            self._statement(rng, kind, speaker, language, source)
            for kind, speaker in turns(rng, shape, count, main, guest)
        ]
        link_answers(statements)
        time = dt.time(rng.randint(8, 21), rng.randint(0, 59))
        kind = transcript_kind(title)  # the parser's rule, as an import would set it
        return GeneratedTranscript(title, date, time, place, kind, language, main, statements)

    def _main_speaker(self, rng: random.Random, language: str) -> SpeakerSpec:
        if language == "ru":  # mid.ru's Russian pages are Russian officials'
            return rng.choices(self.cast.russian, cum_weights=self.cast.russian_weights)[0]
        return rng.choices(self.cast.speakers, cum_weights=self.cast.weights)[0]

    def _guest(self, rng: random.Random, main: SpeakerSpec) -> SpeakerSpec | None:
        if rng.random() < 0.4:
            return None
        guest = rng.choices(self.cast.speakers, cum_weights=self.cast.weights)[0]
        return None if guest is main else guest

    def _statement(self, rng, kind, speaker, language, source) -> GeneratedStatement:
        text = statement_text(rng, self.pool[language], source, kind == "question")
        return GeneratedStatement(kind, speaker, _label(kind, speaker, language), text)


SHAPES = ["press_conference", "briefing", "interview", "speech"]
SHAPE_WEIGHTS = [35, 25, 20, 20]


def turns(rng: random.Random, shape: str, count: int, main, guest) -> list[tuple]:
    """(kind, speaker) for each statement, in the order a transcript of `shape` goes."""
    sequence = [] if shape == "interview" else [("opening", main)]
    if shape in ("press_conference", "speech") and guest:
        sequence.append(("remarks", guest))
    while len(sequence) < count:
        if shape == "speech":  # talks: the two sides take turns, nobody asks
            sequence.append(("remarks", main if sequence[-1][1] is guest else guest))
            continue
        sequence.append(("question", None))
        answerer = guest if guest and rng.random() < 0.3 else main
        sequence.append(("answer", answerer))
        if guest and rng.random() < 0.15:
            sequence.append(("remarks", main if answerer is guest else guest))
    return sequence[:count]


def link_answers(statements: list[GeneratedStatement]) -> None:
    question = None
    for index, statement in enumerate(statements):
        if statement.kind == "question":
            question = index
        elif statement.kind == "answer":
            statement.reply_to = question


def _label(kind: str, speaker: SpeakerSpec | None, language: str) -> str:
    if kind == "question":
        return "Вопрос" if language == "ru" else "Question"
    if kind == "opening":
        return ""  # the title names the speaker of the text before the first label
    return speaker.cyrillic if language == "ru" else speaker.name


def target_words(rng: random.Random, question: bool) -> int:
    """Log-normal lengths: questions ~45 words, answers and remarks ~125, 20-400 in all."""
    median = 38 if question else 100
    return min(MAX_WORDS, max(MIN_WORDS, round(rng.lognormvariate(math.log(median), 0.65))))


def statement_text(rng: random.Random, language: Language, source: Source, question: bool) -> str:
    """1-4 paragraphs, mostly from the transcript's own source, about the target length."""
    own = source.questions if question else source.speech
    anywhere = language.questions if question else language.speech
    target = target_words(rng, question)
    paragraphs, words = [], 0
    while (words < target and len(paragraphs) < 4) or words < MIN_WORDS:
        text, count = rng.choice(own if own and rng.random() < SAME_SOURCE_SHARE else anywhere)
        if text not in paragraphs:  # a small source would repeat itself
            paragraphs.append(text)
            words += count
    if words > MAX_WORDS and len(paragraphs) > 1:
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def russian_sentence(rng: random.Random, themes: list[str], sentences: list[str]) -> str:
    """A real or written sentence (40 %), or one built from a template (60 %) on one of
    the source's themes (60 %) or any theme."""
    if rng.random() < 0.4:
        return rng.choice(sentences)
    theme = rng.choice(themes) if rng.random() < 0.6 else rng.choice(RUSSIAN_THEMES)
    return rng.choice(RUSSIAN_TEMPLATES)(rng, theme)


def russian_question(rng: random.Random, themes: list[str]) -> str:
    if rng.random() < 0.5:
        return rng.choice(RUSSIAN_QUESTIONS)
    theme = rng.choice(themes) if rng.random() < 0.6 else rng.choice(RUSSIAN_THEMES)
    partner = rng.choice(RUSSIAN_PARTNERS)
    return rng.choice(
        [
            f"Как Вы оцениваете {theme}?",
            f"Планирует ли Россия обсуждать {theme} с {partner}?",
            f"Обсуждали ли Вы с {partner} {theme}?",
        ]
    )


def _discussed(rng: random.Random, theme: str) -> str:
    opener = rng.choice(RUSSIAN_OPENERS)
    subject = rng.choice(RUSSIAN_SUBJECTS)
    subject = subject[0].lower() + subject[1:]  # after the opener
    return f"{opener} {subject} {rng.choice(RUSSIAN_VERBS)} {theme}{rng.choice(RUSSIAN_TAILS)}."


def _discussed_with(rng: random.Random, theme: str) -> str:
    return f"Мы обсудили с {rng.choice(RUSSIAN_PARTNERS)} {theme}."


def _ready(rng: random.Random, theme: str) -> str:
    return (
        f"Россия готова развивать {rng.choice(RUSSIAN_COOPERATION)} "
        f"с {rng.choice(RUSSIAN_PARTNERS)}, включая {theme}."
    )


def _needed(rng: random.Random, theme: str) -> str:
    return f"Мы считаем, что необходимо {rng.choice(RUSSIAN_NEEDS)} {theme}."


RUSSIAN_TEMPLATES = [_discussed, _discussed_with, _ready, _needed]


# ---------------------------------------------------------------------------------------
# Titles and the mid.ru plain-text layout
# ---------------------------------------------------------------------------------------


def transcript_title(rng, shape, main, guest, date, language) -> tuple[str, str]:
    """(title, place) in the ministry's style, ending with the place and date."""
    place_en, place_ru = rng.choice(PLACES)
    if language == "ru":
        return f"{_russian_title(rng, shape, main)}, {place_ru}, {russian_date(date)}", place_ru
    return f"{_english_title(rng, shape, main, guest)}, {place_en}, {english_date(date)}", place_en


def _english_title(rng, shape, main, guest) -> str:
    who = f"{main.role} {main.name}"
    with_guest = f"talks with {guest.role} {guest.name}" if guest else "talks"
    if shape == "press_conference":
        return (
            f"{who}’s remarks and answers to media questions at a joint news conference "
            f"following {with_guest}"
        )
    if shape == "briefing":
        # Not mid.ru's usual "Briefing by …": the parser names no speaker in that title,
        # and makes each paragraph before the first label a narrative statement of its own.
        return f"{who}’s remarks and answers to media questions at a briefing"
    if shape == "interview":
        return f"{who}’s interview with {rng.choice(OUTLETS)[0]}"
    return f"{who}’s remarks at the meeting following {with_guest}"


def _russian_title(rng, shape, main) -> str:
    who = f"{main.role_ru[1]} {main.cyrillic_genitive}"
    if shape == "press_conference":
        return (
            f"Выступление и ответы на вопросы СМИ {who} в ходе совместной "
            "пресс-конференции по итогам переговоров"
        )
    if shape == "briefing":
        return f"Брифинг {who}"
    if shape == "interview":
        return f"Интервью {who} {rng.choice(OUTLETS)[1]}"
    return f"Выступление {who} в ходе переговоров"


def english_date(date: dt.date) -> str:
    return f"{ENGLISH_MONTHS[date.month - 1]} {date.day}, {date.year}"


def russian_date(date: dt.date) -> str:
    return f"{date.day} {RUSSIAN_MONTHS[date.month - 1]} {date.year} года"


def render_mid_ru(transcript: GeneratedTranscript) -> str:
    """The transcript as mid.ru's page saved as text (the seed's layout): the glued date
    line, the title, the language switch, then one paragraph per line, each statement's
    first paragraph opening with its label."""
    months = RUSSIAN_MONTHS if transcript.language == "ru" else ENGLISH_MONTHS
    date, time = transcript.date, transcript.time
    lines = [
        f"{date.day} {months[date.month - 1]} {date.year}{time:%H:%M}",
        "",
        transcript.title,
        "",
        "",
        "  • en-GB1 ru-RU1",
        "",
    ]
    for statement in transcript.statements:
        paragraphs = statement.text.split("\n\n")
        if statement.label:
            paragraphs[0] = f"{statement.label}: {paragraphs[0]}"
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The plan: each transcript's size, date, language and ids, fixed before loading so that
# the streams can generate their halves independently and reproducibly
# ---------------------------------------------------------------------------------------


@dataclass
class Planned:
    index: int
    transcript_id: int
    first_statement_id: int
    count: int
    date: dt.date
    language: str


def make_plan(total: int, seed: int) -> list[Planned]:
    """Transcripts of ~30 statements (gamma-distributed, at least 2) adding up to `total`;
    dates sorted so that ids follow time, as in an archive filled chronologically."""
    rng = random.Random(f"plan:{seed}")
    counts, remaining = [], total
    while remaining > 0:
        count = max(2, round(rng.gammavariate(2.0, STATEMENTS_PER_TRANSCRIPT / 2)))
        counts.append(min(count, remaining))
        remaining -= counts[-1]
    dates = sorted(random_date(rng) for _ in counts)
    plans, next_statement = [], 1
    for index, (count, date) in enumerate(zip(counts, dates, strict=True)):
        language = "ru" if rng.random() < RUSSIAN_SHARE else "en"
        plans.append(Planned(index, index + 1, next_statement, count, date, language))
        next_statement += count
    return plans


def random_date(rng: random.Random) -> dt.date:
    """A day of 2000-2025; later years weigh more (2025 about 3 times 2000), as ministries
    publish more every year."""
    years = range(START_DATE.year, END_DATE.year + 1)
    year = rng.choices(years, weights=[1 + (y - START_DATE.year) / 12 for y in years])[0]
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(year, 12, 31) - start).days + 1))


# ---------------------------------------------------------------------------------------
# Rows for COPY
# ---------------------------------------------------------------------------------------

TRANSCRIPT_COLUMNS = (
    "id, title, slug, date, time, place, kind, language, source_url, source_format, "
    "source_text, content_hash, other_languages, tags, parse_warnings, imported_at, updated_at"
)
STATEMENT_COLUMNS = (
    "id, transcript_id, position, speaker_id, speaker_label, speaker_role, note, kind, "
    "questioner, outlet, reply_to_id, date, language, text"
)
# COPY's text format: tab-separated, \N for NULL. Lines are built with f-strings and
# str.replace rather than the csv module, which was the generator's largest cost.
COPY_TRANSCRIPTS = f"COPY statements_transcript ({TRANSCRIPT_COLUMNS}) FROM STDIN"
COPY_STATEMENTS = f"COPY statements_statement ({STATEMENT_COLUMNS}) FROM STDIN"
NULL = "\\N"


def escape(text: str) -> str:
    """A value for COPY's text format: backslashes and line breaks escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def transcript_line(planned: Planned, transcript: GeneratedTranscript, now: str) -> str:
    # Imported here: statements.importing needs Django set up first (see setup_django).
    from statements.importing import content_hash

    source_text = render_mid_ru(transcript)
    slug_title = ascii_slug(transcript.title.rsplit(",", 2)[0], max_length=90)
    number = planned.transcript_id
    values = [
        str(number),
        escape(transcript.title),
        f"{transcript.date.isoformat()}-{slug_title}-{number}",  # unique by its id
        transcript.date.isoformat(),
        transcript.time.isoformat(),
        escape(transcript.place),
        transcript.kind,
        transcript.language,
        f"https://mid.ru/{transcript.language}/foreign_policy/news/{1_500_000 + number}/",
        "text",
        escape(source_text),
        content_hash(source_text),  # the import service's, so a re-import is a duplicate
        "en,ru",
        "{}",
        "{}",
        now,
        now,
    ]
    return "\t".join(values) + "\n"


def statement_lines(planned: Planned, transcript: GeneratedTranscript) -> str:
    first, date, language = planned.first_statement_id, transcript.date, transcript.language
    lines = []
    for offset, statement in enumerate(transcript.statements):
        speaker = statement.speaker
        speaker_id = speaker.id if speaker else NULL
        reply_to = NULL if statement.reply_to is None else first + statement.reply_to
        label, role = escape(statement.label), escape(_role(speaker, language))
        # note, questioner and outlet are empty
        lines.append(
            f"{first + offset}\t{planned.transcript_id}\t{offset + 1}\t{speaker_id}\t{label}\t"
            f"{role}\t\t{statement.kind}\t\t\t{reply_to}\t{date}\t{language}\t"
            f"{escape(statement.text)}\n"
        )
    return "".join(lines)


def _role(speaker: SpeakerSpec | None, language: str) -> str:
    if speaker is None:
        return ""
    return speaker.role_ru[0] if language == "ru" else speaker.role


# ---------------------------------------------------------------------------------------
# Loading: K streams, each generating batches and COPYing them
# ---------------------------------------------------------------------------------------

_GENERATOR: Generator | None = None  # set before the streams fork, inherited by them


def connect(url: str):
    # The load's own sessions only: a crash loses the last commits, which --reset redoes.
    return psycopg2.connect(url, options="-c synchronous_commit=off -c maintenance_work_mem=1GB")


def load_stream(stream: int, plans: list[Planned], url: str) -> dict:
    """Generate and COPY `plans`' transcripts in batches; the seconds spent on each."""
    conn = connect(url)
    totals = {"stream": stream, "statements": 0, "transcripts": 0, "generate": 0.0, "copy": 0.0}
    started = time.perf_counter()
    with conn, conn.cursor() as cursor:
        for first in range(0, len(plans), BATCH_TRANSCRIPTS):
            _load_batch(cursor, plans[first : first + BATCH_TRANSCRIPTS], totals)
            conn.commit()
            elapsed = time.perf_counter() - started
            print(
                f"  [stream {stream}] {totals['statements']:>9,} statements  "
                f"generate {totals['generate']:6.1f} s  copy {totals['copy']:6.1f} s  "
                f"{totals['statements'] / elapsed:7,.0f} statements/s",
                flush=True,
            )
    conn.close()
    return totals


def _load_batch(cursor, batch: list[Planned], totals: dict) -> None:
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC).isoformat()
    transcripts, statements = [], []
    for planned in batch:
        transcript = _GENERATOR.transcript(
            planned.index, planned.count, planned.date, planned.language
        )
        transcripts.append(transcript_line(planned, transcript, now))
        statements.append(statement_lines(planned, transcript))
    transcripts, statements = io.StringIO("".join(transcripts)), io.StringIO("".join(statements))
    generated = time.perf_counter()
    cursor.copy_expert(COPY_TRANSCRIPTS, transcripts)
    cursor.copy_expert(COPY_STATEMENTS, statements)
    totals["generate"] += generated - started
    totals["copy"] += time.perf_counter() - generated
    totals["transcripts"] += len(batch)
    totals["statements"] += sum(planned.count for planned in batch)


def load(generator: Generator, plans: list[Planned], url: str, streams: int) -> list[dict]:
    """Split the plan in `streams` contiguous parts of equal statement counts and load
    them in parallel processes (forked, so they share the pool without pickling it)."""
    global _GENERATOR
    _GENERATOR = generator
    parts = _split(plans, streams)
    if streams == 1:
        return [load_stream(1, parts[0], url)]
    context = multiprocessing.get_context("fork")
    with context.Pool(streams) as processes:
        jobs = [(number, part, url) for number, part in enumerate(parts, start=1)]
        return processes.starmap(load_stream, jobs)


def _split(plans: list[Planned], parts: int) -> list[list[Planned]]:
    total = sum(planned.count for planned in plans)
    split, current, done = [[] for _ in range(parts)], 0, 0
    for planned in plans:
        if done >= total * (current + 1) / parts and current < parts - 1:
            current += 1
        split[current].append(planned)
        done += planned.count
    return split


# ---------------------------------------------------------------------------------------
# Speakers, topics and the tables' state
# ---------------------------------------------------------------------------------------


def prepare_tables(conn, reset: bool) -> None:
    """Empty every statements_* table with --reset; otherwise insist they are empty."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'statements\\_%'")
        # The data generation's one row (statements/generation.py) stays: it moves on, it
        # is never emptied.
        tables = [row[0] for row in cursor.fetchall() if row[0] != "statements_data_generation"]
        # A run stopped before its end left the trigger off: the next one turns it back on.
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        if reset:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM statements_transcript) "
                "OR EXISTS (SELECT 1 FROM statements_speaker)"
            )
            if cursor.fetchone()[0]:
                sys.exit("The statements tables are not empty: run with --reset to empty them.")
    conn.commit()


def load_speakers(conn, cast: Cast) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    speakers, aliases, keys = io.StringIO(), io.StringIO(), set()
    speaker_writer, alias_writer = csv.writer(speakers), csv.writer(aliases)
    for spec in cast.speakers:
        country = "Russia" if spec.side == "ru" else spec.role.rpartition(" of ")[2]
        speaker_writer.writerow((spec.id, spec.name, spec.slug, spec.role, country, now))
        for name in (spec.name, spec.cyrillic):
            if normalize(name) not in keys:  # every spelling met is an alias, each once
                keys.add(normalize(name))
                alias_writer.writerow((spec.id, name, normalize(name)))
    speakers.seek(0)
    aliases.seek(0)
    with conn.cursor() as cursor:
        cursor.copy_expert(
            "COPY statements_speaker (id, name, slug, role, country, created_at) FROM STDIN "
            "WITH (FORMAT csv, FORCE_NOT_NULL (role, country))",  # small: csv is fine
            speakers,
        )
        cursor.copy_expert(
            "COPY statements_speakeralias (speaker_id, name, key) FROM STDIN WITH (FORMAT csv)",
            aliases,
        )
    conn.commit()


def create_topics(conn) -> list[tuple[int, str, str]]:
    """(id, name, query) of the topics, created."""
    topics = []
    with conn.cursor() as cursor:
        for name, query in TOPICS:
            cursor.execute(
                "INSERT INTO statements_topic (name, slug, description, query) "
                "VALUES (%s, %s, '', %s) RETURNING id",
                [name, ascii_slug(name), query],
            )
            topics.append((cursor.fetchone()[0], name, query))
    conn.commit()
    return topics


def reset_sequences(conn) -> None:
    """Ids were given explicitly: move the identity sequences past them."""
    with conn.cursor() as cursor:
        for table in ("statements_speaker", "statements_transcript", "statements_statement"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    conn.commit()


# ---------------------------------------------------------------------------------------
# Secondary indexes and constraints: dropped before the load, rebuilt after it
# ---------------------------------------------------------------------------------------

TABLE = "statements_statement"
# Dropped before the load and rebuilt after it: the statements table's before the topic
# tagging (which needs the GIN index), the tags table's after it.
TABLES = [TABLE, "statements_statementtopic"]


def secondary_ddl(cursor, table: str) -> list[dict]:
    """`table`'s indexes and constraints other than its primary key, each as {table, name,
    kind, drop, create: [SQL…]}, read from the catalog (so that they come back exactly as
    the migrations made them)."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid), c.conname FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype = 'u' "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary ORDER BY i.relname",
        [table],
    )
    items = [_index_item(table, *row) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    items += [
        {
            "table": table,
            "name": name,
            "kind": "foreign key",
            "drop": f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
            "create": [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'],
        }
        for name, definition in cursor.fetchall()
    ]
    return items


def _index_item(table: str, index: str, definition: str, constraint: str | None) -> dict:
    if constraint:  # built as an index, then attached: ADD CONSTRAINT would lock longer
        return {
            "table": table,
            "name": constraint,
            "kind": "unique",
            "drop": f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"',
            "create": [
                definition,
                f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" UNIQUE USING INDEX "{index}"',
            ],
        }
    kind = "gin" if " USING gin " in definition else "btree"
    return {
        "table": table,
        "name": index,
        "kind": kind,
        "drop": f'DROP INDEX "{index}"',
        "create": [definition],
    }


def ddl_file(conn) -> Path:
    return DDL_FOLDER / f"{conn.info.dbname}.dropped-ddl.json"


def take_down(conn) -> list[dict]:
    """Drop the secondary indexes and constraints of TABLES, remembering them in a file
    first; those a previous, interrupted run dropped are in the file already."""
    path = ddl_file(conn)
    saved = json.loads(path.read_text()) if path.exists() else []
    with conn.cursor() as cursor:
        present = [item for table in TABLES for item in secondary_ddl(cursor, table)]
        names = {item["name"] for item in present}
        items = present + [item for item in saved if item["name"] not in names]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(items, indent=1))
        for item in sorted(present, key=lambda item: item["kind"] != "foreign key"):
            cursor.execute(item["drop"])  # foreign keys first: they may use the indexes
        # The champion lists' trigger, too: the lists are built once, after the load.
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    conn.commit()
    return items


def rebuild(url: str, items: list[dict]) -> list[tuple[str, float]]:
    """Build the indexes, the GIN index and the b-trees in two sessions at once (one
    per core), then attach the unique constraints and validate the foreign keys."""
    from concurrent.futures import ThreadPoolExecutor

    indexes = [item for item in items if item["kind"] != "foreign key"]
    gin = [item for item in indexes if item["kind"] == "gin"]
    others = [item for item in indexes if item["kind"] != "gin"]
    with ThreadPoolExecutor(2) as threads:
        built = threads.map(_build_indexes, [url, url], [gin, others])
        timings = [timing for part in built for timing in part]
    # What is left: ALTER TABLE … USING INDEX for the unique constraints, the foreign keys.
    remaining = [(item, item["create"][1:], "attach") for item in indexes]
    remaining += [
        (item, item["create"], "validate") for item in items if item["kind"] == "foreign key"
    ]
    conn = connect(url)
    with conn, conn.cursor() as cursor:
        for item, statements, verb in remaining:
            for sql in statements:
                started = time.perf_counter()
                cursor.execute(sql)
                label = f"{item['name']} ({verb} {item['kind']})"
                timings.append((label, time.perf_counter() - started))
    conn.close()
    return timings


def _build_indexes(url: str, items: list[dict]) -> list[tuple[str, float]]:
    conn = connect(url)
    timings = []
    with conn, conn.cursor() as cursor:
        for item in items:
            started = time.perf_counter()
            cursor.execute(item["create"][0])
            conn.commit()
            timings.append((f"{item['name']} ({item['kind']})", time.perf_counter() - started))
    conn.close()
    return timings


# ---------------------------------------------------------------------------------------
# Topic tagging, in SQL
# ---------------------------------------------------------------------------------------


def tag_topics(url: str, topics: list[tuple[int, str, str]], workers: int) -> list[tuple]:
    """One INSERT … SELECT per topic, with statements.search.matching()'s own condition
    (compiled by Django, executed here), topics shared between `workers` sessions."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as threads:
        shares = [topics[number::workers] for number in range(workers)]
        return [row for part in threads.map(_tag, [url] * workers, shares) for row in part]


def _tag(url: str, topics: list[tuple[int, str, str]]) -> list[tuple[str, int, float]]:
    from statements.search import matching

    conn = connect(url)
    results = []
    with conn, conn.cursor() as cursor:
        for topic_id, name, query in topics:
            sql, params = matching(query).values("id").query.sql_with_params()
            started = time.perf_counter()
            cursor.execute(
                "INSERT INTO statements_statementtopic (statement_id, topic_id, source) "
                f"SELECT matched.id, %s, 'query' FROM ({sql}) AS matched",
                [topic_id, *params],
            )
            conn.commit()  # timed too: deferred foreign-key checks run here when present
            results.append((name, cursor.rowcount, time.perf_counter() - started))
    conn.close()
    return results


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------

SIZE_TABLES = [
    "statements_statement",
    "statements_transcript",
    "statements_statementtopic",
    "statements_speaker",
    "statements_speakeralias",
]


def print_phase(name: str, rows: int, seconds: float) -> None:
    rate = f"{rows / seconds:>10,.0f} rows/s" if rows and seconds else ""
    print(f"{name:<58} {rows:>11,} rows {seconds:>8.1f} s {rate}", flush=True)


def print_sizes(conn) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_relation_size(oid), pg_total_relation_size(oid) "
            "FROM pg_class WHERE relname = ANY(%s) ORDER BY 3 DESC",
            [SIZE_TABLES],
        )
        print("\ntable                          heap       total (with TOAST and indexes)")
        for name, heap, total in cursor.fetchall():
            print(f"  {name:<28} {_mb(heap):>10} {_mb(total):>10}")
        cursor.execute(
            "SELECT relname, indexrelname, pg_relation_size(indexrelid) "
            "FROM pg_stat_user_indexes WHERE relname = ANY(%s) ORDER BY 1, 3 DESC",
            [TABLES],
        )
        print("indexes")
        for table, name, size in cursor.fetchall():
            print(f"  {table + '.' + name:<72} {_mb(size):>10}")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


# Words are counted as blanks + 1 (a paragraph break is two newlines): a regular
# expression split of a million texts took two minutes.
SHAPE_QUERIES = {
    "transcripts, statements per transcript": "SELECT count(*), round(avg(n), 1) FROM "
    "(SELECT count(*) AS n FROM statements_statement GROUP BY transcript_id) t",
    "language: statements, words avg/min/max": "SELECT language, count(*), round(avg(words)), "
    "min(words), max(words) FROM (SELECT language, length(text) - length(replace(text, ' ', '')) "
    "+ (length(text) - length(replace(text, E'\\n', ''))) / 2 + 1 AS words "
    "FROM statements_statement) s GROUP BY language ORDER BY language",
    "kinds": "SELECT kind, count(*) FROM statements_statement GROUP BY kind ORDER BY 2 DESC",
    "top 5 speakers, % of attributed statements": "SELECT sp.name, round(100.0 * count(*) / "
    "sum(count(*)) OVER (), 1) FROM statements_statement s JOIN statements_speaker sp "
    "ON sp.id = s.speaker_id GROUP BY sp.name ORDER BY count(*) DESC LIMIT 5",
    "dates": "SELECT min(date), max(date) FROM statements_statement",
}


def print_shape(conn) -> None:
    """What was generated, measured in the database: languages, lengths, kinds, speakers."""
    with conn.cursor() as cursor:
        for label, sql in SHAPE_QUERIES.items():
            cursor.execute(sql)
            print(f"  {label}: {[tuple(map(str, row)) for row in cursor.fetchall()]}")


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    """Django is needed for the import service's content hash and the search module's
    matching condition; it must see the benchmark database, never start the embedded one."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speakers", type=int, default=2000)
    parser.add_argument("--streams", type=int, default=2, help="parallel COPY processes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--reset", action="store_true", help="empty the statements tables first")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL (a benchmark database)")
    return args


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def prepare(args) -> tuple[Generator, list[Planned]]:
    pool, seconds = timed(build_pool, args.seed)
    for language, paragraphs in pool.items():
        count = len(paragraphs.speech) + len(paragraphs.questions)
        print_phase(f"{language} pool ({len(paragraphs.sources)} sources)", count, seconds)
    cast = make_cast(args.speakers, args.seed)
    plans = make_plan(args.statements, args.seed)
    return Generator(pool, cast, args.seed), plans


def load_all(args, generator: Generator, plans: list[Planned]) -> None:
    streams, wall = timed(load, generator, plans, args.database_url, args.streams)
    for stream in streams:
        print_phase(
            f"stream {stream['stream']}: generate (Python)",
            stream["statements"],
            stream["generate"],
        )
        print_phase(
            f"stream {stream['stream']}: COPY (PostgreSQL)", stream["statements"], stream["copy"]
        )
    print_phase(f"load, {args.streams} stream(s), wall clock", args.statements, wall)


def rebuild_and_report(url: str, items: list[dict], rows: int, label: str) -> None:
    timings, seconds = timed(rebuild, url, items)
    for name, item_seconds in timings:
        print_phase(f"  {name}", rows, item_seconds)
    print_phase(label, rows, seconds)


def finish(conn, url: str, items: list[dict], topics, workers: int, statements: int) -> None:
    """Indexes, topic tags, the tags' indexes, sequences, statistics."""
    statement_items = [item for item in items if item["table"] == TABLE]
    rebuild_and_report(url, statement_items, statements, "statement indexes and keys, wall")
    conn.autocommit = True
    with conn.cursor() as cursor:
        _, seconds = timed(cursor.execute, f"ANALYZE {TABLE}")
        print_phase("analyze statements (plans for the tagging)", statements, seconds)
        tags, seconds = timed(tag_topics, url, topics, workers)
        for name, rows, topic_seconds in tags:
            print_phase(f"  tag {name}", rows, topic_seconds)
        tag_count = sum(row[1] for row in tags)
        print_phase("topic tagging, wall", tag_count, seconds)
        tag_items = [item for item in items if item["table"] != TABLE]
        rebuild_and_report(url, tag_items, tag_count, "tag indexes and keys, wall")
        ddl_file(conn).unlink(missing_ok=True)  # everything dropped is back
        reset_sequences(conn)
        _, seconds = timed(cursor.execute, "VACUUM ANALYZE")
        print_phase("vacuum analyze (whole database)", statements, seconds)
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    from statements import champions, speakers  # need Django, set up by main()

    words, seconds = timed(champions.rebuild)
    print_phase(f"champion lists ({words:,} frequent words)", statements, seconds)
    _, seconds = timed(speakers.refresh_stats)
    print_phase("speaker counts (materialized view)", statements, seconds)


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    started = time.perf_counter()
    generator, plans = prepare(args)
    conn = connect(args.database_url)
    prepare_tables(conn, args.reset)
    load_speakers(conn, generator.cast)
    topics = create_topics(conn)
    items, seconds = timed(take_down, conn)
    print_phase(f"drop {len(items)} indexes/constraints", 0, seconds)
    print(f"loading {args.statements:,} statements in {len(plans):,} transcripts", flush=True)
    load_all(args, generator, plans)
    finish(conn, args.database_url, items, topics, args.streams, args.statements)
    print_phase("total", args.statements, time.perf_counter() - started)
    print_sizes(conn)
    _, seconds = timed(print_shape, conn)
    print(f"  (measured in {seconds:.1f} s)")
    conn.close()


if __name__ == "__main__":
    main()
