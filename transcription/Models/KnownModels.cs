namespace CallReview.Transcription.Models;

/// <summary>
/// whisper.cpp's published ggml models (https://huggingface.co/ggerganov/whisper.cpp) and the sha256 of each file.
/// </summary>
public static class KnownModels
{
    public const string UrlPrefix = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/";

    /// <summary>
    /// Name → sha256 of <c>ggml-NAME.bin</c>: the Hugging Face LFS object ids of ggerganov/whisper.cpp at revision
    /// 5359861c739e955e79d9a303bcbc70fb988958b1, as pinned in VocaHQ/vocaphone's
    /// android/app/src/main/java/com/vocahq/vocaphone/local/LocalModelCatalog.kt; every value also appears,
    /// identical, in other public catalogs that download these files. A model missing here needs <c>--sha256</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tiny-q5_1"] = "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7",
        ["tiny-q8_0"] = "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca",
        ["tiny"] = "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21",
        ["tiny.en-q5_1"] = "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b",
        ["tiny.en-q8_0"] = "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94",
        ["tiny.en"] = "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
        ["base-q5_1"] = "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898",
        ["base-q8_0"] = "c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9",
        ["base"] = "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
        ["base.en-q5_1"] = "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f",
        ["base.en-q8_0"] = "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e",
        ["base.en"] = "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
        ["small-q5_1"] = "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb",
        ["small-q8_0"] = "49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f",
        ["small"] = "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b",
        ["small.en-q5_1"] = "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30",
        ["small.en-q8_0"] = "67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067",
        ["small.en"] = "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d",
        ["medium-q5_0"] = "19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f",
        ["medium-q8_0"] = "42a1ffcbe4167d224232443396968db4d02d4e8e87e213d3ee2e03095dea6502",
        ["medium"] = "6c14d5adee5f86394037b4e4e8b59f1673b6cee10e3cf0b11bbdbee79c156208",
        ["medium.en-q5_0"] = "76733e26ad8fe1c7a5bf7531a9d41917b2adc0f20f2e4f5531688a8c6cd88eb0",
        ["medium.en-q8_0"] = "43fa2cd084de5a04399a896a9a7a786064e221365c01700cea4666005218f11c",
        ["medium.en"] = "cc37e93478338ec7700281a7ac30a10128929eb8f427dda2e865faa8f6da4356",
        ["large-v3-turbo-q5_0"] = "394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2",
        ["large-v3-turbo-q8_0"] = "317eb69c11673c9de1e1f0d459b253999804ec71ac4c23c17ecf5fbe24e259a1",
        ["large-v3-turbo"] = "1fc70f774d38eb169993ac391eea357ef47c88757ef72ee5943879b7e8e2bc69",
        ["large-v3-q5_0"] = "d75795ecff3f83b5faa89d1900604ad8c780abd5739fae406de19f23ecd98ad1",
        ["large-v3"] = "64d182b440b98d5203c4f9bd541544d84c605196c4f7b845dfa11fb23594d1e2",
    };

    public static string FileName(string name) => $"ggml-{name}.bin";

    public static Uri Url(string name) => new(UrlPrefix + FileName(name));
}
