using System.Collections.Frozen;

namespace BookBytes.Providers.Local.Summaries;

/// <summary>
/// The function words (articles, pronouns, prepositions, conjunctions, auxiliaries and a few common adverbs) left out of
/// a sentence's terms, so that sentences are alike by what they are about rather than by the grammar they share.
/// Lower-case, compared ordinally. Stateless and thread-safe.
/// </summary>
internal static class StopWords
{
    private static readonly FrozenSet<string> None = FrozenSet<string>.Empty;

    private static readonly FrozenDictionary<string, FrozenSet<string>> ByLanguage = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        ["en"] = Set("""
            a an the this that these those some any each every no all both either neither
            i me my mine myself you your yours yourself we us our ours ourselves he him his himself she her hers herself
            it its itself they them their theirs themselves who whom whose which what where when why how
            and or but nor so yet if then else than because while although though unless until since as
            of in on at by for with about against between into through during before after above below to from
            up down out off over under again further once here there near upon within without across along among
            am is are was were be been being have has had having do does did doing done
            will would shall should can could may might must ought
            not very too just only also even still quite rather such same other own more most much many few less
            s t d ll m re ve don doesn didn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn
            """),
        ["de"] = Set("""
            der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
            ich mich mir mein meine meiner meinem meinen du dich dir dein deine er ihn ihm sein seine seiner seinem seinen
            sie ihr ihre ihrer ihrem ihren es wir uns unser unsere euch euer eure man sich
            dieser diese dieses diesem diesen jener jene jenes welcher welche welches wer wen wem wessen was wo wie warum wann
            und oder aber sondern denn doch weil dass ob wenn als wie falls obwohl damit sodass während bevor nachdem bis seit
            in im ins an am ans auf aus bei beim mit nach von vom zu zum zur vor hinter über unter neben zwischen durch für gegen ohne um
            bin bist ist sind seid war waren warst gewesen sei haben habe hast hat hatte hatten gehabt
            werden werde wirst wird wurde wurden geworden kann kannst können konnte muss musst müssen musste
            soll sollen sollte will willst wollen wollte darf dürfen mag mögen möchte
            nicht auch noch schon nur sehr so dann da hier dort nun ja nein mehr immer wieder etwa ganz alle alles jede jeder jedes
            """),
        ["fr"] = Set("""
            le la les l un une des du de d au aux ce cet cette ces
            je j me m moi mon ma mes tu te t toi ton ta tes il lui son sa ses elle elles ils eux leur leurs
            nous notre nos vous votre vos on se s soi y en qui que qu quoi dont où lequel laquelle lesquels
            et ou mais donc or ni car si comme quand lorsque puisque parce afin pendant avant après depuis
            à dans par pour sur sous avec sans chez entre vers contre selon jusqu jusque
            être suis es est sommes êtes sont étais était étions étaient été sera seront serait soit
            avoir ai as a avons avez ont avais avait avions avaient eu aura auront aurait
            faire fait font peut peuvent pouvait doit doivent
            ne n pas plus moins très trop bien aussi encore déjà toujours jamais rien tout tous toute toutes même autre autres
            """),
        ["es"] = Set("""
            el la los las lo un una unos unas al del este esta estos estas ese esa esos esas aquel aquella
            yo me mi mis mío conmigo tú te ti tu tus él le les lo su sus ella ellas ellos nos nosotros nosotras
            vosotros os usted ustedes se sí consigo que quien quienes cual cuales cuyo donde cuando como cuanto
            y e o u pero sino ni porque pues aunque si mientras cuando hasta desde
            a ante bajo con contra de en entre hacia para por según sin sobre tras durante
            ser soy eres es somos son era eras éramos eran fue fueron sido sea estar estoy está estamos están estaba
            haber he has ha hemos han había habían hubo habrá hay tener tengo tiene tienen tenía
            hacer hace hacen puede pueden debe
            no sí muy más menos también ya aún todavía siempre nunca nada todo toda todos todas otro otra otros mismo tan
            """),
        ["it"] = Set("""
            il lo la i gli le l un uno una del dello della dei degli delle al allo alla ai agli alle
            dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle
            io me mi mio mia miei mie tu te ti tuo tua tuoi tue lui lei egli ella suo sua suoi sue
            noi ci nostro nostra vostro vostra voi vi loro si sé ne che chi cui quale quali questo questa questi queste quello quella
            e ed o od ma però perché se come quando mentre anche né dunque quindi oppure
            di a da in con su per tra fra verso senza sopra sotto dopo prima durante
            essere sono sei è siamo siete era erano fu furono stato stata stati sarà sarebbe sia
            avere ho hai ha abbiamo avete hanno aveva avevano ebbe avuto
            fare fa fanno può possono deve devono
            non più meno molto poco tanto troppo già ancora sempre mai tutto tutta tutti tutte altro altra altri stesso
            """),
        ["pt"] = Set("""
            o a os as um uma uns umas do da dos das ao à aos às no na nos nas pelo pela pelos pelas
            este esta estes estas esse essa esses essas aquele aquela isto isso aquilo
            eu me mim meu minha meus minhas tu te ti teu tua você vocês ele ela eles elas lhe lhes seu sua seus suas
            nós nosso nossa vós se si que quem qual quais cujo onde quando como quanto
            e ou mas porém nem porque pois embora se enquanto até desde
            de em por para com sem sobre sob entre contra durante após antes depois
            ser sou és é somos são era eram foi foram sido seja estar estou está estamos estão estava
            ter tenho tem temos têm tinha tinham teve haver há havia houve
            fazer faz fazem pode podem deve devem
            não sim muito mais menos também já ainda sempre nunca nada tudo todo toda todos todas outro outra outros mesmo tão
            """),
        ["nl"] = Set("""
            de het een der des den
            ik mij me mijn jij je jou jouw u uw hij hem zijn zij ze haar wij we ons onze jullie hun hen
            dit dat deze die wie wat welk welke waar wanneer waarom hoe er zich
            en of maar want dus omdat terwijl hoewel als toen dan tot sinds zodat doordat indien
            in op aan bij met van voor na naar uit door over onder tussen tegen zonder om tijdens achter boven naast
            ben bent is zijn was waren geweest wees heb hebt heeft hebben had hadden gehad
            word wordt worden werd werden geworden kan kunt kunnen kon konden moet moeten moest
            zal zult zullen zou zouden wil wilt willen wilde mag mogen mocht
            niet geen ook nog al wel heel zeer zo nu hier daar toch alleen meer veel weinig alle alles iets niets ander andere
            """),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The stop words of a language.</summary>
    /// <param name="language">A BCP 47 tag (<c>de</c>, <c>de-DE</c>, <c>pt_BR</c>); only the primary language subtag counts.</param>
    /// <returns>The language's stop words; none for a language without a list, so every word is a term.</returns>
    public static FrozenSet<string> For(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return None;
        }

        var primary = language.Trim();
        var end = primary.AsSpan().IndexOfAny('-', '_');
        if (end >= 0)
        {
            primary = primary[..end];
        }

        return ByLanguage.TryGetValue(primary.ToLowerInvariant(), out var words) ? words : None;
    }

    private static FrozenSet<string> Set(string words)
        => words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
