using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Shared;

public enum OutcomeStatus { Done, Invalid, NotFound, Forbidden }

/// <summary>
/// What every command handler answers: done with its value, invalid with a message per form field (<c>""</c> for
/// the form as a whole), or not found / forbidden. The form's own shape (required, lengths, ranges) is checked by
/// its DataAnnotations before the handler runs; what needs the database or the user is the handler's, answered
/// here. Controllers turn it into a response with <see cref="OutcomeResponses.Answer{T}(ControllerBase, Outcome{T}, Func{T, IActionResult}, Func{IActionResult})"/>.
/// </summary>
public sealed record Outcome<T>(OutcomeStatus Status, T? Value, IReadOnlyDictionary<string, Message> Errors)
{
    public bool IsDone => Status == OutcomeStatus.Done;

    public static implicit operator Outcome<T>(Outcome.Failure failure) => new(failure.Status, default, failure.Errors);
}

public static class Outcome
{
    /// <summary>A handler's "no" before it has a value: converts to any <see cref="Outcome{T}"/>.</summary>
    public sealed record Failure(OutcomeStatus Status, IReadOnlyDictionary<string, Message> Errors);

    /// <summary>The value of a handler that changes something and has nothing to give back.</summary>
    public readonly record struct Unit;

    private static readonly IReadOnlyDictionary<string, Message> NoErrors = new Dictionary<string, Message>();

    public static Outcome<T> Done<T>(T value) => new(OutcomeStatus.Done, value, NoErrors);

    public static Outcome<Unit> Done() => Done(new Unit());

    public static Failure Invalid(IReadOnlyDictionary<string, Message> errors) => new(OutcomeStatus.Invalid, errors);

    public static Failure Invalid(string field, Message message) => Invalid(new Dictionary<string, Message> { [field] = message });

    public static readonly Failure NotFound = new(OutcomeStatus.NotFound, NoErrors);

    public static readonly Failure Forbidden = new(OutcomeStatus.Forbidden, NoErrors);
}

/// <summary>The one way an outcome reaches a response, and the one place views read its errors from: ModelState.</summary>
public static class OutcomeResponses
{
    /// <summary>Not found → 404, forbidden → 403, invalid → its errors into ModelState and <paramref name="invalid"/>, done → <paramref name="done"/>.</summary>
    public static IActionResult Answer<T>(this ControllerBase controller, Outcome<T> outcome, Func<T, IActionResult> done, Func<IActionResult> invalid) =>
        Refusal(controller, outcome) ?? (outcome.IsDone ? done(outcome.Value!) : invalid());

    public static async Task<IActionResult> Answer<T>(this ControllerBase controller, Outcome<T> outcome, Func<T, Task<IActionResult>> done, Func<Task<IActionResult>> invalid) =>
        Refusal(controller, outcome) ?? (outcome.IsDone ? await done(outcome.Value!) : await invalid());

    public static async Task<IActionResult> Answer<T>(this ControllerBase controller, Outcome<T> outcome, Func<T, IActionResult> done, Func<Task<IActionResult>> invalid) =>
        Refusal(controller, outcome) ?? (outcome.IsDone ? done(outcome.Value!) : await invalid());

    /// <summary>For a handler that refuses only as not found or forbidden (no form to show again): an invalid outcome is a 400.</summary>
    public static IActionResult Answer<T>(this ControllerBase controller, Outcome<T> outcome, Func<T, IActionResult> done) =>
        controller.Answer(outcome, done, () => controller.BadRequest());

    public static Task<IActionResult> Answer<T>(this ControllerBase controller, Outcome<T> outcome, Func<T, Task<IActionResult>> done) =>
        controller.Answer(outcome, done, () => Task.FromResult<IActionResult>(controller.BadRequest()));

    /// <summary>
    /// A refusal with no form to show it on (a button's POST): the error page with <paramref name="message"/> in the
    /// reader's language, under <paramref name="status"/>, rather than a plain-text body in English.
    /// </summary>
    public static IActionResult Refuse(this Controller controller, Message message, int status = StatusCodes.Status400BadRequest)
    {
        controller.Response.StatusCode = status;
        return controller.View("Error", message.In(controller.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Text>>()));
    }

    /// <summary>The message for one field (or <c>""</c>, the whole form) that ModelState holds, for views that place it themselves.</summary>
    public static string? ErrorFor(this ModelStateDictionary modelState, string field) =>
        modelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    private static IActionResult? Refusal<T>(ControllerBase controller, Outcome<T> outcome)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.NotFound:
                return controller.NotFound();
            case OutcomeStatus.Forbidden:
                return controller.Forbid();
            case OutcomeStatus.Invalid:
                // Handlers refuse in English with the figures apart; said here in the reader's language.
                var text = controller.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Text>>();
                foreach (var (field, message) in outcome.Errors)
                    controller.ModelState.AddModelError(field, message.In(text));
                return null;
            default:
                return null;
        }
    }
}
