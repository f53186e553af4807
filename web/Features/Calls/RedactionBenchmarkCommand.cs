using System.Globalization;
using System.Text;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Redaction;
using CallReview.Transcription.Whisper;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// <c>redaction-benchmark [--calls n] [--languages en,it,ro] [--seed n] [--threads n] [--romanian-voice festival|espeak] [--keep] [--verbose]</c>: precision and recall of card data
/// redaction on generated stereo calls whose card numbers, expiry dates and security codes are known. Per language (English
/// spoken by Festival's cmu_us_slt_arctic_hts, Italian by Festival's lp_diphone, Romanian by espeak-ng; agents by another
/// voice) it writes <c>n</c> calls: a card read in groups, a card read on over two turns, and a call without a card, each
/// with distractors (a phone number and an order number read digit by digit, an amount, dates, a 16-digit reference that
/// fails Luhn). They are transcribed by the job pipeline with the trained models (tiny.en for English, base-q5_1 for
/// Italian and Romanian) and redacted; a finding is right when it overlaps the turn that said that kind of card data.
/// </summary>
public sealed class RedactionBenchmarkCommand(ModelCatalog models, TranscriptionSettings settings, FfmpegOptions ffmpeg) : ICliCommand
{
    public string Name => "redaction-benchmark";
    public string Usage => "redaction-benchmark [--calls n] [--languages en,it,ro] [--seed n] [--threads n] [--romanian-voice festival|espeak] [--keep] [--verbose]";
    public bool UsesDatabase => false;

    private const int Rate = AudioDecoder.SampleRate;
    private const double Pause = 0.6;

    /// <summary>What a customer turn really holds: card data of a kind, a distractor, or nothing.</summary>
    private sealed record Line(string Speaker, string Text, string? Truth = null);

    private sealed record Said(string Truth, double Start, double End);

    private sealed record Language(string Code, string Model, Func<string, string, string, Task> Customer, Func<string, string, string, Task> Agent,
        string[] DigitWords, Func<Facts, int, IReadOnlyList<Line>> Script);

    /// <summary>One call's numbers: a Luhn-valid card, its expiry and code, and distractors.</summary>
    private sealed record Facts(string Card, string Expiry, string Code, string Phone, string Order, string Reference, string Amount, string Date, string Born);

    private const string Phone = "phone", Order = "order", Reference = "reference", Other = "other";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var perLanguage = TranscriptionArguments.PositiveNumber(args, "--calls", 3);
        var seed = TranscriptionArguments.PositiveNumber(args, "--seed", 15);
        var threads = TranscriptionArguments.PositiveNumber(args, "--threads", settings.Whisper.Threads);
        var verbose = CommandLine.Flag(args, "--verbose");
        var romanianVoice = CommandLine.Option(args, "--romanian-voice") ?? "festival";
        if (romanianVoice is not ("festival" or "espeak"))
            throw new ArgumentException("--romanian-voice is festival or espeak.");
        var folder = Directory.CreateTempSubdirectory("redaction-benchmark-").FullName;
        var random = new Random(seed);
        var results = new List<(string Language, string Kind, string Rule, bool Right)>();
        var missed = new List<(string Language, string Truth)>();
        var truths = new List<(string Language, string Truth)>();
        var speech = SpeechDetectors.Create(settings.SpeechDetection, models);
        try
        {
            var only = CommandLine.Option(args, "--languages")?.Split(',');
            foreach (var language in Languages(romanianVoice).Where(l => only is null || only.Contains(l.Code)))
            {
                var modelPath = models.Resolve(language.Model)?.Path
                    ?? throw new InvalidOperationException($"The model {language.Model} is not on this machine (see `models list`).");
                using var model = WhisperModel.Load(modelPath);
                var transcriber = new CallTranscriber(new AudioDecoder(ffmpeg), TranscriptionModels.Loaded(model, speech),
                    new TranscriptionOptions { Threads = threads, BeamSize = settings.Whisper.BeamSize }, settings.Limits.MaxDurationSeconds);
                for (var n = 0; n < perLanguage; n++)
                {
                    var lines = language.Script(NewFacts(random, language), n % 3);
                    var path = Path.Combine(folder, $"{language.Code}-{n}.wav");
                    var said = await RenderAsync(language, lines, path, ct);
                    var transcript = await transcriber.TranscribeAsync(path, 2, ChannelLayout.AgentLeft, language.Code, null, ct);
                    var redacted = CardDataDetector.Redact(transcript.Turns);

                    var cardData = said.Where(s => s.Truth is CardDataKinds.CardNumber or CardDataKinds.ExpiryDate or CardDataKinds.SecurityCode).ToList();
                    truths.AddRange(cardData.Select(s => (language.Code, s.Truth)));
                    foreach (var finding in redacted.Findings)
                    {
                        var hit = said.FirstOrDefault(s => s.Start * 1000 < finding.EndMs && finding.StartMs < s.End * 1000 && finding.Channel == 1);
                        results.Add((language.Code, finding.Kind, finding.Rule, hit?.Truth == finding.Kind));
                    }
                    missed.AddRange(cardData.Where(s => !redacted.Findings.Any(f => f.Kind == s.Truth && f.Channel == 1 && s.Start * 1000 < f.EndMs && f.StartMs < s.End * 1000))
                        .Select(s => (language.Code, s.Truth)));
                    if (verbose)
                    {
                        foreach (var (turn, i) in transcript.Turns.Select((t, i) => (t, i)))
                            Console.WriteLine($"{language.Code}-{n} {turn.StartMs / 1000.0,6:0.0}s {turn.Speaker,-8} {turn.Text}{(redacted.Turns[i].Text == turn.Text ? "" : "  =>  " + redacted.Turns[i].Text)}");
                        foreach (var finding in redacted.Findings)
                            Console.WriteLine($"{language.Code}-{n} {finding.StartMs / 1000.0,6:0.0}s {finding.Kind}: {finding.Rule}");
                    }
                }
                Console.WriteLine($"{language.Code}: {perLanguage} calls transcribed with {Path.GetFileName(modelPath)}");
            }
        }
        finally
        {
            (speech as IDisposable)?.Dispose();
            if (!CommandLine.Flag(args, "--keep"))
                Directory.Delete(folder, recursive: true);
            else
                Console.WriteLine($"calls kept in {folder}");
        }
        Print(results, truths, missed);
        return 0;
    }

    private static void Print(List<(string Language, string Kind, string Rule, bool Right)> results, List<(string Language, string Truth)> truths,
        List<(string Language, string Truth)> missed)
    {
        static string Share(int part, int whole) => whole == 0 ? "   -  " : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole,5:0.0}%");
        Console.WriteLine();
        Console.WriteLine($"{"language",-9}{"kind",-15}{"said",6}{"found",7}{"recall",8}{"findings",10}{"wrong",7}{"precision",11}");
        foreach (var language in truths.Select(t => t.Language).Distinct().Append("all"))
            foreach (var kind in new[] { CardDataKinds.CardNumber, CardDataKinds.ExpiryDate, CardDataKinds.SecurityCode, "all" })
            {
                bool Of(string l, string k) => (language == "all" || l == language) && (kind == "all" || k == kind);
                var said = truths.Count(t => Of(t.Language, t.Truth));
                var lost = missed.Count(m => Of(m.Language, m.Truth));
                var findings = results.Where(r => Of(r.Language, r.Kind)).ToList();
                var wrong = findings.Count(f => !f.Right);
                Console.WriteLine($"{language,-9}{kind,-15}{said,6}{said - lost,7}{Share(said - lost, said),8}{findings.Count,10}{wrong,7}{Share(findings.Count - wrong, findings.Count),11}");
            }
        Console.WriteLine();
        Console.WriteLine($"{"rule",-44}{"fired",6}{"right",7}{"precision",11}");
        foreach (var rule in results.GroupBy(r => System.Text.RegularExpressions.Regex.Replace(r.Rule, @"\d+", "N")).OrderByDescending(g => g.Count()))
            Console.WriteLine($"{rule.Key,-44}{rule.Count(),6}{rule.Count(r => r.Right),7}{Share(rule.Count(r => r.Right), rule.Count()),11}");
    }

    /// <summary>Renders each line in its speaker's voice on its own channel (agent left), one after another, and says where each truth was spoken.</summary>
    private async Task<List<Said>> RenderAsync(Language language, IReadOnlyList<Line> lines, string path, CancellationToken ct)
    {
        var left = new List<float>();
        var right = new List<float>();
        var said = new List<Said>();
        var decoder = new AudioDecoder(ffmpeg);
        var wav = Path.ChangeExtension(path, ".turn.wav");
        foreach (var line in lines)
        {
            await (line.Speaker == "agent" ? language.Agent : language.Customer)(line.Text, wav, Path.ChangeExtension(path, ".txt"));
            var samples = (await decoder.DecodeMonoMixAsync(wav, ct)).ToArray();
            var start = left.Count + (int)(Pause * Rate);
            foreach (var channel in new[] { left, right })
                channel.AddRange(new float[start + samples.Length - channel.Count]);
            samples.CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line.Speaker == "agent" ? left : right)[start..]);
            if (line.Truth is { } truth)
                said.Add(new Said(truth, start / (double)Rate, (start + samples.Length) / (double)Rate));
        }
        foreach (var channel in new[] { left, right })
            channel.AddRange(new float[Rate]);
        StereoWav.Write(path, [.. left], [.. right], Rate);
        File.Delete(wav);
        return said;
    }

    private static Func<string, string, string, Task> Festival(string voice, Encoding encoding) => async (text, wav, textFile) =>
    {
        await File.WriteAllTextAsync(textFile, text, encoding);
        await ProcessRunner.RunAsync("text2wave", ["-eval", $"(voice_{voice})", "-o", wav, textFile], TimeSpan.FromMinutes(2));
    };

    private static Func<string, string, string, Task> Espeak(string voice) => (text, wav, _) =>
        ProcessRunner.RunAsync("espeak-ng", ["-v", voice, "-s", "150", "-w", wav, text], TimeSpan.FromMinutes(2));

    /// <summary>
    /// Romanian read by one of Festival's Italian voices from a respelling in Italian orthography ("șapte" as "sciapte",
    /// "nouă" as "noue"): Romanian with an Italian accent, digits a listener knows at once. Debian's only Romanian voice is
    /// espeak-ng's, whose digits base-q5_1 hears as other words ("nero", "nola", "patruri"); see the README.
    /// </summary>
    private static Func<string, string, string, Task> RomanianAsItalian(string voice)
    {
        var festival = Festival(voice, Encoding.Latin1);
        return (text, wav, textFile) => festival(ItalianSpelling(text), wav, textFile);
    }

    private static string ItalianSpelling(string romanian)
    {
        var text = new StringBuilder();
        for (var i = 0; i < romanian.Length; i++)
        {
            var c = romanian[i];
            var next = i + 1 < romanian.Length ? char.ToLowerInvariant(romanian[i + 1]) : ' ';
            var frontVowel = next is 'e' or 'i';
            var upper = char.IsUpper(c);
            var plain = char.ToLowerInvariant(c) switch
            {
                'ș' or 'ş' => frontVowel || !char.IsLetter(next) ? "sc" : "sci",
                'ț' or 'ţ' => "z",
                'ă' => "e",
                'â' or 'î' => "i",
                'j' => frontVowel ? "g" : "gi",
                var other => other.ToString(),
            };
            text.Append(upper ? char.ToUpperInvariant(plain[0]) + plain[1..] : plain);
        }
        return text.ToString();
    }

    private static Facts NewFacts(Random random, Language language)
    {
        string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));
        // A Luhn-valid card: Visa or Mastercard, 16 digits, or American Express, 15 (with a 4-digit code).
        var amex = random.Next(4) == 0;
        var prefix = amex ? "37" : random.Next(2) == 0 ? "4" : "5" + (char)('1' + random.Next(5));
        var body = prefix + Digits((amex ? 14 : 15) - prefix.Length);
        var card = body + Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).First(d => CardDataDetector.Luhn(body + d));
        string NotLuhn(string digits) => CardDataDetector.Luhn(digits) ? digits[..^1] + (char)('0' + (digits[^1] - '0' + 1) % 10) : digits;
        var phone = language.Code switch
        {
            "en" => random.Next(2) == 0 ? "07" + Digits(9) : "0044" + "7" + Digits(9),
            "it" => random.Next(2) == 0 ? "3" + Digits(9) : "0039" + "3" + Digits(9),
            _ => random.Next(2) == 0 ? "07" + Digits(8) : "0040" + "7" + Digits(8),
        };
        return new Facts(card, $"{random.Next(1, 13):00}{random.Next(26, 32)}", Digits(amex ? 4 : 3), NotLuhn(phone), Digits(8 + random.Next(3)),
            NotLuhn("9" + Digits(15)), $"{random.Next(10, 400)}.{random.Next(100):00}", $"{random.Next(1, 29)}/{random.Next(1, 13):00}/2024",
            $"{random.Next(1, 29)}/{random.Next(1, 13):00}/19{random.Next(50, 100)}");
    }

    /// <summary>Digits as words, in groups of four (a card) or one run (anything else).</summary>
    private static string Spoken(Language language, string digits, int group = 0, string comma = ",") =>
        string.Join(group > 0 ? comma + " " : " ", digits.Chunk(group > 0 ? group : digits.Length)
            .Select(chunk => string.Join(" ", chunk.Select(d => language.DigitWords[d - '0']))));

    private static IReadOnlyList<Line> Card(Language language, Facts facts, int variant, string intro, string mhm)
    {
        if (variant == 0)
            return [new("customer", $"{intro} {Spoken(language, facts.Card, 4)}.", CardDataKinds.CardNumber)];
        var half = facts.Card.Length / 2;
        return
        [
            new("customer", $"{intro} {Spoken(language, facts.Card[..half])}", CardDataKinds.CardNumber),
            new("agent", mhm),
            new("customer", $"{Spoken(language, facts.Card[half..])}.", CardDataKinds.CardNumber),
        ];
    }

    private static IEnumerable<Language> Languages(string romanianVoice)
    {
        Language? en = null, it = null, ro = null;
        en = new Language("en", "ggml-tiny.en-q8_0.bin", Festival("cmu_us_slt_arctic_hts", Encoding.ASCII), Festival("kal_diphone", Encoding.ASCII),
            ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], (f, variant) =>
            [
                new("agent", "Thank you for calling, my name is Sam. How can I help?"),
                new("customer", "Hello, I would like to pay my outstanding bill please."),
                new("agent", "Of course. First, what is the best phone number to reach you?"),
                new("customer", $"It is {Spoken(en!, f.Phone)}.", Phone),
                new("agent", "Thank you. And what is the order number?"),
                new("customer", $"The order number is {Spoken(en!, f.Order)}.", Order),
                .. variant == 2
                    ? (Line[])
                    [
                        new("agent", $"The amount due is {f.Amount} pounds. I will send you a payment link by text."),
                        new("customer", $"Thanks. My reference on the letter is {Spoken(en!, f.Reference, 4)}.", Reference),
                    ]
                    :
                    [
                        new("agent", $"The amount due is {f.Amount} pounds. Can I take the long card number please?"),
                        .. Card(en!, f, variant, "Yes, it is", "Mhm, go on."),
                        new("agent", "And the expiry date?"),
                        new("customer", $"{Spoken(en!, f.Expiry, 2)}.", CardDataKinds.ExpiryDate),
                        new("agent", "And the security code on the back of the card?"),
                        new("customer", $"{Spoken(en!, f.Code)}.", CardDataKinds.SecurityCode),
                    ],
                new("agent", $"Thank you, that is all recorded on {f.Date}."),
                new("customer", $"Great. My date of birth is {f.Born}, if you need it.", Other),
            ]);
        it = new Language("it", "ggml-base-q5_1.bin", Festival("lp_diphone", Encoding.Latin1), Festival("pc_diphone", Encoding.Latin1),
            ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"], (f, variant) =>
            [
                new("agent", "Grazie per aver chiamato, sono Sara. Come posso aiutarla?"),
                new("customer", "Buongiorno, vorrei pagare la mia bolletta."),
                new("agent", "Certo. Qual è il suo numero di telefono?"),
                new("customer", $"È {Spoken(it!, f.Phone)}.", Phone),
                new("agent", "Grazie. E il numero dell'ordine?"),
                new("customer", $"Il numero dell'ordine è {Spoken(it!, f.Order)}.", Order),
                .. variant == 2
                    ? (Line[])
                    [
                        new("agent", $"L'importo è di {f.Amount} euro. Le mando un link per il pagamento."),
                        new("customer", $"Grazie. Il riferimento sulla lettera è {Spoken(it!, f.Reference, 4)}.", Reference),
                    ]
                    :
                    [
                        new("agent", $"L'importo è di {f.Amount} euro. Mi può dare il numero della carta?"),
                        .. Card(it!, f, variant, "Sì, è", "Sì, vada avanti."),
                        new("agent", "E la data di scadenza?"),
                        new("customer", $"{Spoken(it!, f.Expiry, 2)}.", CardDataKinds.ExpiryDate),
                        new("agent", "E il codice di sicurezza sul retro della carta?"),
                        new("customer", $"{Spoken(it!, f.Code)}.", CardDataKinds.SecurityCode),
                    ],
                new("agent", $"Grazie, è tutto registrato il {f.Date}."),
                new("customer", $"Perfetto. Sono nato il {f.Born}, se serve.", Other),
            ]);
        ro = new Language("ro", "ggml-base-q5_1.bin", romanianVoice == "espeak" ? Espeak("ro") : RomanianAsItalian("lp_diphone"),
            romanianVoice == "espeak" ? Espeak("ro+m3") : RomanianAsItalian("pc_diphone"),
            ["zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"], (f, variant) =>
            [
                new("agent", "Bună ziua, mă numesc Ana. Cu ce vă pot ajuta?"),
                new("customer", "Bună ziua, aș dori să plătesc factura."),
                new("agent", "Desigur. Care este numărul dumneavoastră de telefon?"),
                new("customer", $"Este {Spoken(ro!, f.Phone)}.", Phone),
                new("agent", "Mulțumesc. Și numărul comenzii?"),
                new("customer", $"Numărul comenzii este {Spoken(ro!, f.Order)}.", Order),
                .. variant == 2
                    ? (Line[])
                    [
                        new("agent", $"Suma este de {f.Amount} lei. Vă trimit un link de plată."),
                        new("customer", $"Mulțumesc. Referința de pe scrisoare este {Spoken(ro!, f.Reference, 4)}.", Reference),
                    ]
                    :
                    [
                        new("agent", $"Suma este de {f.Amount} lei. Îmi puteți spune numărul cardului?"),
                        .. Card(ro!, f, variant, "Da, este", "Da, continuați."),
                        new("agent", "Și data de expirare?"),
                        new("customer", $"{Spoken(ro!, f.Expiry, 2)}.", CardDataKinds.ExpiryDate),
                        new("agent", "Și codul de securitate de pe spatele cardului?"),
                        new("customer", $"{Spoken(ro!, f.Code)}.", CardDataKinds.SecurityCode),
                    ],
                new("agent", $"Mulțumesc, totul este înregistrat pe {f.Date}."),
                new("customer", $"Perfect. M-am născut pe {f.Born}, dacă e nevoie.", Other),
            ]);
        return [en, it, ro];
    }
}
