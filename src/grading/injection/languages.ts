import { rx, type Rule } from './rules.js';

/**
 * The same grader-directed moves in other languages, since a model obeys an instruction in
 * French as readily as in English. Latin-script languages are matched against the Latin view
 * (accents folded: write "regles", "prufer", "instrucoes"); Russian, Greek, Arabic, Hindi,
 * Chinese, Japanese and Korean against the folded view that keeps their scripts. Each
 * Latin-script language lists its words for each move and the rules are built the same way
 * for all, so adding a language is adding words.
 */
type Vocabulary = {
  /** Verbs that set instructions aside: "ignore", "oubliez". */
  ignore: string;
  /** What is set aside: "the instructions", "les consignes". */
  rules: string;
  /** Verbs that hand out a grade: "give", "donnez". */
  give: string;
  /** The best grade: "full marks", "la note maximale". */
  top: string;
  /** "deserves", "merite". */
  deserve: string;
  /** Role-play openers: "you are now", "tu es maintenant". */
  role: string;
  /** Addressing the grader: "note to the grader", "cher correcteur". */
  address: string;
  /** Claimed updates: "new rubric", "la bonne note est". */
  update: string;
};

const S = String.raw;

const LATIN_VOCAB: Record<string, Vocabulary> = {
  fr: {
    ignore: S`ignor(?:e|ez|er|ons)|oubli(?:e|ez|er|ons)|ne (?:tiens|tenez|tenir) (?:pas|plus|aucun) compte|fai(?:s|tes) abstraction|pass(?:e|ez) outre|ne sui(?:s|vez) (?:pas|plus)|n'appliqu(?:e|ez) (?:pas|plus)|contourn(?:e|ez)|annul(?:e|ez)|ecart(?:e|ez)`,
    rules: S`consignes?|regles?|criteres?|grille|bareme|rubrique|indications|ce qui precede|ci-dessus|precedent(?:e|es|s)|(?:les|la|le|l'|tes|vos|ces|toutes les|tous les) instructions?|instructions? (?:precedentes?|anterieures?)`,
    give: S`donn(?:e|ez|er)|attribu(?:e|ez|er)|accord(?:e|ez|er)|mets|mettez|assign(?:e|ez|er)|evalu(?:e|ez)`,
    top: S`(?:la\s+)?note\s+(?:maximale|maximum|parfaite|complete|la plus (?:haute|elevee))|(?:le\s+)?(?:score|total)\s+(?:maximal|maximum|parfait)|(?:la\s+)?meilleure note|(?:tous les|la totalite des|les pleins) points|le maximum(?:\s+de points)?|20\s*\/\s*20|un (?:4|20|10)\b|note de (?:4|20|100)\b`,
    deserve: S`merit(?:e|erait|ent)|vaut|devrait (?:avoir|obtenir|recevoir)|doit (?:avoir|obtenir|recevoir)`,
    role: S`(?:tu es|vous etes|t'es) (?:maintenant|desormais|a present|dorenavant)|fai(?:s|tes) semblant (?:d'etre|que)|jou(?:e|ez) (?:le|un) role|(?:agis|agissez|comporte-toi|comportez-vous) (?:comme|en tant que)|imagin(?:e|ez)(?:-toi| que (?:tu es|vous etes))|a partir de maintenant,? (?:tu|vous)`,
    address: S`(?:note|message|remarque|consigne|mot)s? (?:pour|au|a l'|a la|aux|a) ?(?:correct(?:eur|rice)s?|evaluat(?:eur|rice)s?|examinat(?:eur|rice)s?|ia|modele|assistant|jury|notat(?:eur|rice))\b|(?:cher|chere) (?:correct(?:eur|rice)|evaluat(?:eur|rice)|examinat(?:eur|rice)|ia|modele|assistant)\b|si (?:tu es|vous etes) (?:une? )?(?:ia|intelligence artificielle|modele|correct(?:eur|rice)|evaluat(?:eur|rice)|assistant|robot)\b`,
    update: S`(?:nouvel(?:le)?s?|nouveaux?|vraie?|veritable|officiel(?:le)?) (?:grille|bareme|rubrique|consignes?|reponse de reference|corrige|criteres)\b|(?:grille|bareme|rubrique|corrige|reponse de reference) (?:mise? a jour|revisee?|corrigee?|modifiee?)\b|la (?:bonne|vraie|veritable) note (?:est|serait)\b`,
  },
  es: {
    ignore: S`ignor(?:a|e|ad|en|ar)|olvid(?:a|e|ad|en|ar)|omit(?:e|a|id|an|ir)|no (?:tengas|tenga|tengan|tomes|tome) en cuenta|(?:haz|haga|hagan) caso omiso|desestim(?:a|e|ar)|pas(?:a|e) por alto|no (?:sigas|siga|sigan)|descart(?:a|e)`,
    rules: S`instrucciones|reglas|criterios|rubrica|indicaciones|directrices|pautas|normas|anteriores|previas|de arriba`,
    give: S`dale|dele|da|de|dar(?:le|les)?|den|dadle|otorg(?:a|ue|ale|uele|ar|arle)|asign(?:a|e|ale|ele|ar|arle)|pon(?:le|ga|gale|erle)?|califica(?:lo|la|r|rla|rlo)?|puntua(?:lo|la|r)?|conced(?:e|a|er)`,
    top: S`(?:la\s+)?(?:maxima|mejor)\s+(?:puntuacion|nota|calificacion|puntaje)|(?:la\s+)?(?:puntuacion|nota|calificacion|puntaje)\s+(?:maxima|maximo|perfecta|perfecto|completa|completo|mas alta)|(?:todos los|la totalidad de los) puntos|(?:un|una) (?:4|10|100|diez|cuatro)\b|el maximo`,
    deserve: S`merece(?:ria)?|deberia (?:recibir|obtener|tener|sacar)|debe (?:recibir|obtener|tener|sacar)`,
    role: S`ahora (?:eres|es usted|sos)|(?:eres|sos) ahora|(?:finge|finja|simula|simule|imagina|imagine) (?:que )?(?:ser|eres|es usted)|(?:actua|actue|comportate|comportese) como|(?:interpreta|haz|juega|asume) (?:el|un) papel|a partir de ahora,? (?:eres|tu|usted)`,
    address: S`(?:nota|mensaje|aviso|instrucciones?) (?:para|al|a la) (?:el |la )?(?:evaluador(?:a)?|corrector(?:a)?|calificador(?:a)?|examinador(?:a)?|ia|modelo|asistente)\b|(?:querid|estimad)[oa] (?:evaluador(?:a)?|corrector(?:a)?|calificador(?:a)?|examinador(?:a)?|ia|modelo|asistente)\b|si (?:eres|es usted) (?:una? )?(?:ia|inteligencia artificial|modelo|asistente|evaluador|corrector|bot)\b`,
    update: S`(?:nuev[ao]s?|actualizad[ao]s?|verdader[ao]|oficial) (?:rubrica|respuesta de referencia|criterios|instrucciones|pauta|clave de respuestas)\b|(?:rubrica|respuesta de referencia|pauta) (?:actualizada|nueva|corregida|revisada)\b|la (?:nota|calificacion|puntuacion) correcta es\b`,
  },
  de: {
    ignore: S`ignorier(?:e|en|t)?|vergiss|vergessen sie|vergesst|missacht(?:e|en)|ubergeh(?:e|en)?|beacht(?:e|en) (?:nicht|keine)|setz(?:e|en)? (?:dich |sich )?(?:uber|hinweg)|verwirf|verwerfen sie|befolg(?:e|en) (?:nicht|keine)`,
    rules: S`anweisungen|anweisung|regeln|kriterien|bewertungskriterien|bewertungsrichtlinien|richtlinien|vorgaben|instruktionen|bewertungsschema|rubrik|systemprompt|vorherige|obige|bisherige`,
    give: S`gib|gibst|geben(?: sie)?|gebt|vergib|vergeben(?: sie)?|erteil(?:e|en)?|bewerte(?:n)?(?: sie)?|benote(?:n)?(?: sie)?|verleih(?:e|en)?`,
    top: S`(?:die\s+)?(?:volle|maximale|hochste|beste)\s+(?:punktzahl|punkte|punktanzahl|note|bewertung|wertung)|(?:die\s+)?(?:bestnote|hochstnote|hochstpunktzahl|bestwertung)|alle punkte|(?:eine|die) (?:4|1|10|100|eins|vier)\b|100 punkte|mit (?:4|100|der bestnote|der hochstnote|sehr gut)\b`,
    deserve: S`verdient|verdiente|sollte (?:\S+ )?(?:bekommen|erhalten)|muss (?:\S+ )?(?:bekommen|erhalten)|hat (?:\S+ )?verdient`,
    role: S`(?:du bist|sie sind|ihr seid) (?:jetzt|nun|ab sofort|ab jetzt|von nun an)|(?:tu|tun sie) so,? als|(?:spiel|spiele|spielen sie|ubernimm|ubernehmen sie) die rolle|(?:verhalte dich|verhalten sie sich|agiere|agieren sie|handle|handeln sie) (?:wie|als)|(?:stell dir vor|stellen sie sich vor),? (?:du bist|dass du|sie sind|dass sie)|ab (?:jetzt|sofort),? (?:bist du|sind sie)`,
    address: S`(?:hinweis|notiz|nachricht|anmerkung|botschaft|anweisung)(?:en)? (?:an|fur) (?:den |die |das )?(?:prufer(?:in)?|bewerter(?:in)?|korrektor(?:in)?|gutachter(?:in)?|ki|modell|assistent(?:en)?|prufende[nr]?)\b|(?:liebe|lieber|liebes|sehr geehrte[r]?) (?:ki|prufer(?:in)?|bewerter(?:in)?|korrektor(?:in)?|modell|assistent)\b|(?:wenn|falls) (?:du|sie) (?:eine ki|ein ki|ein sprachmodell|ein modell|ein bewerter|ein prufer|eine kunstliche intelligenz|ein bot) (?:bist|sind)\b`,
    update: S`(?:neue|aktualisierte|uberarbeitete|korrigierte|echte|offizielle|geanderte)[rsn]? (?:bewertungsrichtlinien|musterlosung|rubrik|bewertungskriterien|anweisungen|bewertungsschema|referenzantwort)\b|die (?:richtige|korrekte|wahre) (?:note|bewertung|punktzahl) (?:ist|lautet|ware)\b`,
  },
  it: {
    ignore: S`ignor(?:a|ate|are|i|ino)|dimentic(?:a|ate|are|hi)|trascur(?:a|ate|are)|non (?:considerare|considerate|tenere conto|tenete conto|seguire|seguite)|tralascia|tralasciate|scavalca|annulla`,
    rules: S`istruzioni|regole|criteri|rubrica|griglia|indicazioni|direttive|linee guida|precedenti|sopra`,
    give: S`dai|dagli|dalle|assegn(?:a|ate|agli|i)|attribu(?:isci|ite|isca)|metti|mettete|concedi|valuta|valutate`,
    top: S`(?:il\s+)?(?:punteggio|voto)\s+(?:massimo|pieno|perfetto|piu alto)|(?:il\s+)?massimo (?:dei voti|punteggio|dei punti)|(?:tutti i|il massimo dei) punti|(?:un|il) (?:4|10|100|30 e lode|trenta)\b|30\s*\/\s*30|il massimo`,
    deserve: S`merita|meriterebbe|dovrebbe (?:ricevere|ottenere|avere|prendere)|deve (?:ricevere|ottenere|avere)`,
    role: S`(?:ora|adesso) sei|sei (?:ora|adesso)|(?:fingi|fai finta|immagina) di essere|(?:comportati|agisci) (?:come|da)|(?:interpreta|gioca) (?:il|un) ruolo|da ora in poi,? (?:sei|tu)`,
    address: S`(?:nota|messaggio|avviso|istruzioni) (?:per|al|alla|all') ?(?:il |la |l')?(?:correttore|correttrice|valutatore|valutatrice|esaminatore|esaminatrice|ia|modello|assistente)\b|(?:caro|cara|gentile) (?:correttore|correttrice|valutatore|valutatrice|esaminatore|ia|modello|assistente)\b|se (?:sei|tu sei) (?:un'|una |un )?(?:ia|intelligenza artificiale|modello|assistente|valutatore|bot)\b`,
    update: S`(?:nuova|nuovo|aggiornata|aggiornato|vera|ufficiale) (?:rubrica|risposta di riferimento|griglia|criteri|istruzioni)\b|(?:rubrica|griglia|risposta di riferimento) (?:aggiornata|nuova|corretta|rivista)\b|il (?:voto|punteggio) corretto e\b`,
  },
  pt: {
    ignore: S`ignor(?:e|a|em|ar)|esquec(?:a|e|am|er)|desconsider(?:e|a|em|ar)|nao (?:siga|sigam|considere|considerem|leve em conta|levem em conta)|desprez(?:e|a)|passe por cima|descart(?:e|a)`,
    rules: S`instrucoes|regras|criterios|rubrica|orientacoes|diretrizes|indicacoes|anteriores|acima`,
    give: S`de|da|dei|deem|atribu(?:a|i)|conced(?:a|e)|coloque|ponha|avalie|marque`,
    top: S`(?:a\s+)?(?:nota|pontuacao)\s+(?:maxima|perfeita|completa|mais alta)|(?:a\s+)?(?:maxima|melhor) (?:nota|pontuacao)|(?:todos os|o total de) pontos|(?:um|uma) (?:4|10|100|dez|quatro)\b|o maximo`,
    deserve: S`merece(?:ria)?|deveria (?:receber|obter|ter|tirar)|deve (?:receber|obter|ter|tirar)`,
    role: S`agora (?:voce e|tu es|es)|voce (?:e )?agora (?:e )?|(?:finja|finge|imagine|imagina) (?:ser|que (?:voce )?e|que es)|(?:aja|age|atue|atua|comporte-se) como|(?:interprete|faca|faz|assuma) o papel|a partir de agora,? (?:voce|tu)`,
    address: S`(?:nota|mensagem|aviso|instrucoes?) (?:para|ao|a) (?:o |a )?(?:avaliador(?:a)?|corretor(?:a)?|examinador(?:a)?|ia|modelo|assistente)\b|(?:caro|cara|querido|querida|prezado|prezada) (?:avaliador(?:a)?|corretor(?:a)?|examinador(?:a)?|ia|modelo|assistente)\b|se (?:voce|tu) (?:e|es|for) (?:uma? )?(?:ia|inteligencia artificial|modelo|assistente|avaliador|bot)\b`,
    update: S`(?:nova|novo|atualizada|atualizado|verdadeira|oficial) (?:rubrica|resposta de referencia|criterios|instrucoes|gabarito)\b|(?:rubrica|gabarito|resposta de referencia) (?:atualizada|atualizado|nova|corrigida|revisada)\b|a (?:nota|pontuacao) correta e\b`,
  },
  nl: {
    ignore: S`negeer|negeren|vergeet|vergeten|volg (?:\S+ )?niet|(?:houd|hou) geen rekening met|laat (?:\S+ )?buiten beschouwing`,
    rules: S`instructies|regels|criteria|rubriek|richtlijnen|aanwijzingen|beoordelingscriteria|beoordelingsrichtlijnen|systeemprompt|bovenstaande|vorige`,
    give: S`geef|geeft|ken|beoordeel|waardeer|zet`,
    top: S`(?:de\s+|het\s+)?(?:maximale|hoogste|volledige|perfecte) (?:score|punten|cijfer|beoordeling|aantal punten)|(?:het\s+)?maximum(?: aantal punten)?|(?:alle|volle) punten|(?:een|de) (?:4|10|100|tien|vier)\b`,
    deserve: S`verdient|zou (?:\S+ )?moeten krijgen|moet (?:\S+ )?krijgen`,
    role: S`(?:je bent|jij bent|u bent) (?:nu|vanaf nu)|(?:doe|doet) alsof|(?:speel|speelt) de rol|(?:gedraag je|gedraagt u zich) als|vanaf nu (?:ben je|bent u|ben jij)|stel je voor dat je`,
    address: S`(?:notitie|bericht|opmerking|aanwijzing|instructies?) (?:voor|aan) (?:de |het )?(?:beoordelaar|corrector|examinator|ai|model|assistent|nakijker)\b|(?:beste|lieve|geachte) (?:beoordelaar|corrector|examinator|ai|model|assistent|nakijker)\b|als (?:je|jij|u) (?:een )?(?:ai|taalmodel|model|assistent|beoordelaar|bot) (?:bent|is)\b`,
    update: S`(?:nieuwe|bijgewerkte|herziene|echte|officiele) (?:rubriek|beoordelingscriteria|modelantwoord|referentieantwoord|instructies|normering|antwoordsleutel)\b|het (?:juiste|correcte) cijfer is\b`,
  },
  tr: {
    ignore: S`yok say(?:in)?|gormezden gel(?:in)?|dikkate alma(?:yin)?|unut(?:un)?|umursama(?:yin)?|uyma(?:yin)?`,
    rules: S`talimat(?:lar)?(?:i|in|a)?|kural(?:lar)?(?:i|in)?|kriter(?:ler)?(?:i)?|yonerge(?:ler)?(?:i)?|onceki`,
    give: S`ver(?:in|iniz)?|verilmeli|alsin|almali`,
    top: S`tam puan(?:i)?|en yuksek (?:puan|not)(?:u|i)?|maksimum puan(?:i)?|100 puan|puanin tamami`,
    deserve: S`hak ediyor|hak eder|hak etmektedir`,
    role: S`artik sen|sen artik|(?:gibi|-miş gibi) davran|rolune gir|rol yap`,
    address: S`(?:degerlendirici|notu veren|sinav gorevlisi|yapay zeka)(?:ye|ya|e|a)? (?:not|mesaj)|sevgili (?:yapay zeka|degerlendirici)|eger (?:bir )?yapay zeka(?:ysan|ysaniz)`,
    update: S`yeni (?:rubrik|kriterler|talimatlar|cevap anahtari)|guncel(?:lenmis)? (?:rubrik|kriterler|cevap anahtari)|dogru not(?:u)? (?:sudur|budur)`,
  },
  pl: {
    ignore: S`zignoruj(?:cie)?|ignoruj(?:cie)?|zapomnij(?:cie)?|pomin(?:cie)?|nie zwracaj(?:cie)? uwagi na|nie stosuj(?:cie)?`,
    rules: S`instrukcj[a-z]*|polecen[a-z]*|zasad[a-z]*|kryteri[a-z]*|wytyczn[a-z]*|poprzedni[a-z]*`,
    give: S`daj(?:cie)?|przyznaj(?:cie)?|wystaw(?:cie)?|ocen(?:cie)?`,
    top: S`maksymaln[a-z]* (?:liczbe punktow|ocen[a-z]*|punktacj[a-z]*|wynik)|peln[a-z]* (?:liczbe punktow|punktacj[a-z]*)|najwyzsz[a-z]* (?:ocen[a-z]*|not[a-z]*)|wszystkie punkty|celujac[a-z]*|100 punktow`,
    deserve: S`zasluguje na|powinna dostac|powinien dostac`,
    role: S`teraz jestes|od teraz jestes|udawaj,? ze|wciel sie w|zachowuj sie jak`,
    address: S`(?:notatka|wiadomosc|uwaga) dla (?:oceniajacego|egzaminatora|sprawdzajacego|ai|modelu)|drog[a-z]* (?:oceniajac[a-z]*|egzaminatorze|ai|modelu)|jesli jestes (?:ai|sztuczna inteligencja|modelem)`,
    update: S`nowe (?:kryteria|instrukcje|wytyczne)|zaktualizowan[a-z]* (?:kryteria|klucz|rubryk[a-z]*)|poprawna ocena to`,
  },
  sv: {
    ignore: S`ignorera|strunta i|bortse fran|glom|folj inte`,
    rules: S`instruktion(?:er|erna)?|regler(?:na)?|kriteri(?:er|erna)|riktlinjer(?:na)?|tidigare`,
    give: S`ge|ger|sätt|satt|tilldela`,
    top: S`(?:hogsta|full|maximal)(?:a)? (?:poang|betyg(?:et)?|pounget)|full pott|alla poang|hogsta betyget`,
    deserve: S`fortjanar|bor fa`,
    role: S`du ar nu|lat(?:sas)? som om du|spela rollen`,
    address: S`(?:notering|meddelande) till (?:bedomaren|rattaren|examinatorn|ai)|(?:kara|baste) (?:bedomare|rattare|ai)|om du ar en ai`,
    update: S`(?:nya|uppdaterade) (?:bedomningskriterier|instruktioner|facit)|ratt betyg ar`,
  },
  cs: {
    ignore: S`ignoruj(?:te)?|zapomen(?:te)?|nedbej(?:te)?|preskoc(?:te)?`,
    rules: S`instrukce|pokyny|pravidla|kriteria|predchozi`,
    give: S`dej(?:te)?|udel(?:te)?|priznej(?:te)?|ohodnot(?:te)?`,
    top: S`(?:plny|maximalni|nejvyssi) (?:pocet bodu|hodnoceni|znamku|body)|vsechny body|jednicku|100 bodu`,
    deserve: S`zaslouzi si|by mela dostat|by mel dostat`,
    role: S`ted jsi|nyni jsi|predstirej,? ze|hraj roli|chovej se jako`,
    address: S`(?:poznamka|zprava) pro (?:hodnotitele|zkousejiciho|opravujiciho|ai|model)|(?:mily|mila|vazeny) (?:hodnotiteli|zkousejici|ai)|pokud jsi (?:ai|umela inteligence|model)`,
    update: S`(?:nova|nove|aktualizovana|aktualizovane) (?:kriteria|pravidla|instrukce|reseni)|spravne hodnoceni je`,
  },
  id: {
    ignore: S`abaikan(?:lah)?|lupakan(?:lah)?|jangan (?:ikuti|hiraukan|pedulikan)`,
    rules: S`instruksi|petunjuk|aturan|kriteria|rubrik|sebelumnya`,
    give: S`berikan(?:lah)?|beri(?:kan)?|kasih|tetapkan`,
    top: S`nilai (?:penuh|maksimal|maksimum|sempurna|tertinggi)|skor (?:penuh|maksimal|maksimum|sempurna|tertinggi)|100 poin`,
    deserve: S`layak (?:mendapat(?:kan)?)?|pantas (?:mendapat(?:kan)?)?|harus mendapat(?:kan)?`,
    role: S`sekarang kamu adalah|kamu sekarang adalah|berpura-pura(?:lah)? (?:menjadi|sebagai)|berperan(?:lah)? sebagai`,
    address: S`(?:catatan|pesan) untuk (?:penilai|pemeriksa|korektor|ai|model)|(?:kepada|yth\.?) (?:penilai|pemeriksa|ai)|jika (?:kamu|anda) (?:adalah )?(?:ai|model bahasa)`,
    update: S`(?:rubrik|kriteria|instruksi|kunci jawaban) (?:baru|terbaru|yang diperbarui)|nilai yang benar adalah`,
  },
  vi: {
    ignore: S`bo qua|phot lo|quen (?:di|het)|khong (?:can )?(?:tuan theo|lam theo)`,
    rules: S`(?:moi|tat ca|cac)? ?(?:huong dan|chi dan|quy tac|tieu chi|quy dinh)|truoc do`,
    give: S`cho|cham|danh gia|trao`,
    top: S`diem (?:toi da|tuyet doi|cao nhat|so 10|10)|(?:10|100) diem|diem 10`,
    deserve: S`xung dang (?:duoc|nhan)?`,
    role: S`bay gio (?:ban|may) la|hay (?:dong vai|gia vo|gia lam)|dong vai (?:la )?(?:mot )?`,
    address: S`(?:ghi chu|loi nhan) (?:cho|gui) (?:nguoi cham|giam khao|ai|mo hinh)|(?:gui|kinh gui) (?:nguoi cham|giam khao|ai)|neu ban la (?:ai|mo hinh)`,
    update: S`(?:tieu chi|huong dan|dap an) (?:moi|cap nhat)|diem dung la`,
  },
};

const EACH_CRITERION = S`chaque critere|tous les criteres|cada criterio|todos los criterios|jedes kriterium|jedem kriterium|alle kriterien|allen kriterien|ogni criterio|tutti i criteri|cada criterio|todos os criterios|elk criterium|alle criteria|kazde kriterium|vsechna kriteria|kazdego kryterium|wszystkie kryteria|her kriter|tum kriterler|setiap kriteria|semua kriteria|moi tieu chi|varje kriterium|alla kriterier`;

/**
 * One pattern per move for all Latin-script languages together: five scans instead of five per
 * language. A French verb next to a Spanish noun would match too, which costs nothing: neither
 * occurs in an English answer.
 */
function latinRules(vocab: Vocabulary[], verbLast: Vocabulary[]): Rule[] {
  const all = (k: keyof Vocabulary, from = vocab) => from.map((v) => v[k]).join('|');
  const gap = S`[^.!?\n]{0,40}?`;
  const [ignore, rules, give, top, deserve] = [all('ignore'), all('rules'), all('give'), all('top'), all('deserve')];
  // Verb last as well where the grammar puts it there (German and Dutch subordinate clauses, Turkish).
  const [ignoreLast, rulesLast, giveLast, topLast] = [all('ignore', verbLast), all('rules', verbLast), all('give', verbLast), all('top', verbLast)];
  return [
    { id: 'lang-ignore', extent: 'clause', re: rx('', S`\b(?:${ignore})\b${gap}\b(?:${rules})\b|\b(?:${rulesLast})\b${gap}\b(?:${ignoreLast})\b`) },
    { id: 'lang-give', extent: 'clause', re: rx('', S`\b(?:${give}|${deserve})\b${gap}(?:${top})|\b(?:${topLast})${gap}\b(?:${giveLast})\b`) },
    // A grade for every criterion, in any of these languages: "4 à chaque critère", "100 Punkte für jedes Kriterium".
    { id: 'lang-each-criterion', extent: 'clause', re: rx('', S`\b(?:4|100|10|max(?:imum|imal|imale|imo|ima)?)\b${gap}\b(?:${EACH_CRITERION})\b|\b(?:${EACH_CRITERION})\b${gap}\b(?:4|100|10)\b(?!\s*[%.,]\d)`) },
    { id: 'lang-role', extent: 'clause', re: rx('', S`\b(?:${all('role')})\b`) },
    { id: 'lang-address', extent: 'paragraph', re: rx('', S`\b(?:${all('address')})`) },
    { id: 'lang-update', extent: 'paragraph', re: rx('', S`\b(?:${all('update')})`) },
  ];
}

export const LATIN_LANGUAGE_RULES: Rule[] = latinRules(Object.values(LATIN_VOCAB), [LATIN_VOCAB.de!, LATIN_VOCAB.nl!, LATIN_VOCAB.tr!, LATIN_VOCAB.pl!]);

// Russian: JS \b is ASCII-only, so word starts are checked with a lookbehind.
const W = S`(?<![\p{L}])`;
const L = S`\p{L}*`;
const RU: Vocabulary = {
  ignore: S`игнорир${L}|проигнорир${L}|забудь${L}|забыть|не обращай${L} внимани${L}|пренебрег${L}|отбрось${L}|отмени${L}|не следуй${L}|не учитывай${L}|не принимай${L} во внимание`,
  rules: S`инструкци${L}|правил${L}|критери${L}|указани${L}|рубрик${L}|промпт${L}|предыдущ${L}|вышесказанн${L}|всё выше|все выше|требовани${L}`,
  give: S`постав${L}|дай${L}|дайте|выстав${L}|присво${L}|оцени${L}|начисл${L}`,
  top: S`(?:максимальн${L}|высш${L}|наивысш${L}|полн${L}) (?:балл${L}|оценк${L}|отметк${L})|максимум|высший балл|пятерк${L}|отлично|(?:4|5|10|100) (?:балл${L}|из (?:4|5|10|100))|(?:4|5|10|100) ?\/ ?(?:4|5|10|100)`,
  deserve: S`заслужива${L}|заслуживает|должен получить|должна получить|должно получить|стоит поставить`,
  role: S`теперь ты|ты теперь|теперь вы|вы теперь|(?:представь|представьте),? что (?:ты|вы)|притвори${L}|(?:веди|ведите) себя как|(?:действуй|действуйте) как|(?:сыграй|сыграйте|играй|играйте) роль|с этого момента,? (?:ты|вы)`,
  address: S`(?:примечание|заметка|сообщение|записка|указание|инструкци${L}|обращение) (?:для|к) (?:проверяющ${L}|оценщик${L}|экзаменатор${L}|ии|ai|модел${L}|ассистент${L}|преподавател${L})|(?:дорог${L}|уважаем${L}) (?:ии|проверяющ${L}|оценщик${L}|экзаменатор${L}|модел${L}|ассистент${L})|если (?:ты|вы) (?:—\s*|-\s*)?(?:ии|искусственный интеллект|языковая модель|модель|ассистент|бот|оценщик|проверяющ${L})`,
  update: S`(?:нов${L}|обновл[её]нн${L}|исправленн${L}|настоящ${L}|официальн${L}) (?:рубрик${L}|критери${L}|эталонн${L} ответ${L}|инструкци${L}|правил${L} оценивания)|правильн${L} оценк${L} (?:—|-|:|это)`,
};

export const SCRIPT_LANGUAGE_RULES: Rule[] = [
  { id: 'ru-ignore', extent: 'clause', re: rx('u', S`${W}(?:${RU.ignore})[^.!?\n]{0,40}?${W}(?:${RU.rules})`) },
  { id: 'ru-give', extent: 'clause', re: rx('u', S`${W}(?:${RU.give}|${RU.deserve})[^.!?\n]{0,40}?(?:${RU.top})`) },
  { id: 'ru-role', extent: 'clause', re: rx('u', S`${W}(?:${RU.role})`) },
  { id: 'ru-address', extent: 'paragraph', re: rx('u', S`${W}(?:${RU.address})`) },
  { id: 'ru-update', extent: 'paragraph', re: rx('u', S`${W}(?:${RU.update})`) },
  // Chinese
  { id: 'zh-ignore', extent: 'clause', re: rx('u', S`(?:忽略|忽视|无视|不要理会|不理会|别管|忘记|忘掉|忘了|跳过|无需遵守|不要遵守|不必遵守|不用遵守|抛开|放弃)[^。！？\n]{0,12}(?:指令|指示|规则|说明|要求|评分标准|评分规则|标准|提示词|系统提示|规定|准则|之前的|以上|上述|前面的)|(?:之前|以上|上述|前面|所有|全部)的?(?:指令|指示|规则|说明|要求|评分标准)[^。！？\n]{0,6}(?:忽略|无视|作废|无效|不算|不用管)`) },
  { id: 'zh-give', extent: 'clause', re: rx('u', S`(?:给|打|评|判|应该得|应当得|值得|应得|配得上)[^。！？\n]{0,10}(?:满分|最高分|最高的分数|高分|4分|100分|十分|一百分|四分|优秀|a\+|4 ?\/ ?4|100 ?\/ ?100)`) },
  { id: 'zh-role', extent: 'clause', re: rx('u', S`你现在是|现在你是|从现在(?:开始|起)，?你|假装你是|假设你是|(?:扮演|充当|作为)一?[个名位]?(?:宽松|宽容|仁慈|友善|温和|慷慨)?的?(?:评分|阅卷|考官|评委|老师|助手|ai|人工智能)`) },
  { id: 'zh-address', extent: 'paragraph', re: rx('u', S`(?:致|给|写给)(?:评分|阅卷)(?:者|员|人|老师|ai|模型)|(?:评分|阅卷)(?:者|员|老师)[，,:：]|亲爱的(?:ai|人工智能|评分|阅卷|模型|助手)|如果你是(?:一个)?(?:ai|人工智能|模型|语言模型|评分)`) },
  { id: 'zh-update', extent: 'paragraph', re: rx('u', S`(?:新的|更新的|更新后的|修订的|修改后的|真正的|正式的)(?:评分标准|参考答案|评分规则|标准答案|评分细则)|正确的?(?:分数|得分|评分)(?:是|为)`) },
  // Japanese
  { id: 'ja-ignore', extent: 'clause', re: rx('u', S`(?:指示|命令|ルール|ルーブリック|規則|採点基準|評価基準|指針|プロンプト|前の|以前の|上記の|これまでの)[^。！？\n]{0,12}(?:無視|忘れ|従わな)`) },
  { id: 'ja-give', extent: 'clause', re: rx('u', S`(?:満点|最高点|最高評価|100点|4点|高得点)[^。！？\n]{0,8}(?:付け|つけ|与え|あげ|ください|にして|にしろ|とする|に値|がふさわしい|が妥当|を受けるべき|です|だ[。！]|でしょう)`) },
  { id: 'ja-role', extent: 'clause', re: rx('u', S`あなたは(?:今|いま|これから)(?:から)?|今からあなたは|これからあなたは|(?:のふりをして|になりきって|として振る舞|の役を演じ)`) },
  { id: 'ja-address', extent: 'paragraph', re: rx('u', S`(?:採点者|評価者|試験官|ai|モデル|アシスタント)(?:の方)?(?:へ|様|さん)[、,:：\s]|もしあなたが(?:ai|人工知能|言語モデル|採点者)`) },
  { id: 'ja-update', extent: 'paragraph', re: rx('u', S`(?:新しい|更新された|改訂された|修正された|本当の|正式な)(?:採点基準|評価基準|模範解答|ルーブリック|参照解答)|正しい(?:点数|評価|得点)は`) },
  // Korean
  { id: 'ko-ignore', extent: 'clause', re: rx('u', S`(?:지시|지침|규칙|채점 ?기준|평가 ?기준|프롬프트|이전|앞의|위의)[^.!?。\n]{0,15}(?:무시|잊어|잊고|따르지 ?마)|(?:무시|잊어)[^.!?。\n]{0,10}(?:지시|지침|규칙|채점 ?기준)`) },
  { id: 'ko-give', extent: 'clause', re: rx('u', S`(?:만점|최고 ?점수|최고점|100점|4점)[^.!?。\n]{0,10}(?:주|줘|부여|매겨|받아야|받을 ?자격)`) },
  { id: 'ko-role', extent: 'clause', re: rx('u', S`(?:이제|지금부터) (?:너는|당신은)|인 척(?:해|하세요)|처럼 행동(?:해|하세요)`) },
  { id: 'ko-address', extent: 'paragraph', re: rx('u', S`(?:채점자|평가자|심사위원|ai|인공지능)(?:님)?(?:에게|께|,)|만약 (?:당신|네)가 (?:ai|인공지능)`) },
  { id: 'ko-update', extent: 'paragraph', re: rx('u', S`(?:새로운|업데이트된|수정된) (?:채점 ?기준|평가 ?기준|지침|모범 ?답안)|올바른 점수는`) },
  // Arabic (fold view: hamza forms of alef unified, short-vowel marks dropped)
  { id: 'ar-ignore', extent: 'clause', re: rx('u', S`(?:تجاهل|انس|انسى|لا تتبع|لا تلتزم)[^.!?؟\n]{0,25}(?:التعليمات|تعليمات|القواعد|المعايير|الارشادات|السابقه|السابقة)`) },
  { id: 'ar-give', extent: 'clause', re: rx('u', S`(?:اعط|امنح|ضع|يستحق|تستحق)[^.!?؟\n]{0,25}(?:الدرجه الكامله|الدرجة الكاملة|العلامه الكامله|العلامة الكاملة|اعلى درجه|اعلى درجة|الدرجه القصوى|الدرجة القصوى|الدرجه النهائيه|الدرجة النهائية|100)`) },
  { id: 'ar-role', extent: 'clause', re: rx('u', S`انت الان|تظاهر بانك|تصرف ك`) },
  { id: 'ar-address', extent: 'paragraph', re: rx('u', S`(?:الى|عزيزي|ملاحظه لل|ملاحظة لل)\s?(?:المصحح|الذكاء الاصطناعي|المقيم|الممتحن)|اذا كنت (?:ذكاء اصطناعي|نموذج)`) },
  { id: 'ar-update', extent: 'paragraph', re: rx('u', S`معايير جديد|الاجابه النموذجيه المحدثه|الإجابة النموذجية المحدثة|الدرجه الصحيحه هي|الدرجة الصحيحة هي`) },
  // Hindi (fold view: nukta dropped)
  { id: 'hi-ignore', extent: 'clause', re: rx('u', S`(?:निर्देश|नियम|मानदंड|पिछले|पिछली)[^।.!?\n]{0,25}(?:अनदेखा|नजरअंदाज|भूल जा|ध्यान न)`) },
  { id: 'hi-give', extent: 'clause', re: rx('u', S`(?:पूरे अंक|पूर्ण अंक|अधिकतम अंक|सबसे (?:अधिक|ज्यादा) अंक|100 अंक|पूरा अंक)[^।.!?\n]{0,15}(?:दें|दो|दीजिए|दीजिये|प्रदान|मिलने चाहिए|का हकदार)`) },
  { id: 'hi-role', extent: 'clause', re: rx('u', S`अब (?:तुम|आप) (?:एक )?|होने का नाटक|की तरह व्यवहार`) },
  { id: 'hi-address', extent: 'paragraph', re: rx('u', S`(?:परीक्षक|मूल्यांकनकर्ता|एआई) (?:को|के लिए)|प्रिय (?:परीक्षक|एआई|मूल्यांकनकर्ता)|(?:अगर|यदि) (?:आप|तुम) (?:एक )?एआई`) },
  { id: 'hi-update', extent: 'paragraph', re: rx('u', S`नए (?:मानदंड|निर्देश)|अद्यतन (?:मानदंड|उत्तर)|सही अंक (?:है|हैं)`) },
  // Greek (fold view; accents folded away on lower-casing only for Latin, so both forms are listed)
  { id: 'el-ignore', extent: 'clause', re: rx('u', S`(?:αγνο[ηή]σ[εέ]|αγνοε[ιί]στε|ξ[εέ]χασε|μην ακολουθ[ηή]σεις)[^.!?;\n]{0,40}(?:οδηγ[ιί]ες|κανον[εέ]ς|κριτ[ηή]ρια|προηγο[υύ]μεν)`) },
  { id: 'el-give', extent: 'clause', re: rx('u', S`(?:δ[ωώ]σε|δ[ωώ]στε|β[αά]λε|αξ[ιί]ζει)[^.!?;\n]{0,30}(?:[αά]ριστα|μ[εέ]γιστο βαθμ[οό]|τον μ[εέ]γιστο|πλ[ηή]ρη βαθμ[οό]|10 στα 10|100)`) },
  { id: 'el-role', extent: 'clause', re: rx('u', S`(?:τ[ωώ]ρα ε[ιί]σαι|προσποι[ηή]σου [οό]τι|παρ[αά]στησε τον)`) },
  { id: 'el-address', extent: 'paragraph', re: rx('u', S`(?:σημε[ιί]ωση|μ[ηή]νυμα) (?:για|προς) (?:τον |το )?(?:βαθμολογητ[ηή]|εξεταστ[ηή]|ai|μοντ[εέ]λο)|αν ε[ιί]σαι (?:ai|τεχνητ[ηή] νοημοσ[υύ]νη|μοντ[εέ]λο)`) },
];
