namespace CallReview.Web.Features.Practice;

/// <summary>What learners read for an exercise's kind and difficulty (English: the keys of their translations).</summary>
public static class ExerciseKinds
{
    public static string Name(string kind) => kind switch
    {
        "exemplary" => "what great looks like",
        "comparison" => "comparison",
        _ => "spot the unmet need",
    };

    public static string Difficulty(int difficulty) => difficulty switch { 1 => "easy", 2 => "medium", _ => "hard" };
}
