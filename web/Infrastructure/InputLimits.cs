using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using CallReview.Web.Features.Shared;
using CallReview.Db;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Infrastructure;

/// <summary>Text that must fit a database column: the limit is the column's own (<see cref="ColumnLimits"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FitsColumnAttribute : ValidationAttribute
{
    // Set as the attribute's own message, so that it is also the key every path says it by (MVC's adapter, InputLimits).
    public FitsColumnAttribute(string table, string column)
    {
        Table = table;
        Column = column;
        ErrorMessage = "{0} is too long: at most {1} characters.";
    }

    public string Table { get; }
    public string Column { get; }
    public int MaxLength => ColumnLimits.MaxLength(Table, Column);

    /// <summary>A text, or each text of a list (tags), no longer than the column.</summary>
    public override bool IsValid(object? value) => value switch
    {
        string text => text.Length <= MaxLength,
        IEnumerable<string?> texts => texts.All(t => t is null || t.Length <= MaxLength),
        _ => true,
    };

    public override string FormatErrorMessage(string name) => string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, MaxLength);
}

/// <summary>
/// A moment or length in seconds, at most <see cref="InputLimits.MaxSeconds"/> either way, so converting it to
/// milliseconds can never overflow. Where in the call it may lie is the handler's rule, with its own message.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SecondsAttribute : RangeAttribute
{
    public SecondsAttribute() : base(-InputLimits.MaxSeconds, InputLimits.MaxSeconds) =>
        ErrorMessage = "{0} is out of range: at most {2} seconds.";
}

/// <summary>
/// On an action that looks at ModelState before it uses its form and, when it is invalid, shows the form again: a broken
/// limit is then refused there, beside its field and in the reader's language (MVC's validation has already put it in
/// ModelState), rather than as a 400 before the action runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ShowsLimitsOnItsFormAttribute : Attribute;

/// <summary>
/// The one check of input limits: every text length (<see cref="FitsColumnAttribute"/>, StringLength, MaxLength)
/// and numeric range (Range, <see cref="SecondsAttribute"/>) declared on an action's parameters and on the
/// properties of its forms, list items included. MVC actions answer 400 naming the field before they run
/// (<see cref="Filter"/>); other entry points (the import command, the API's metadata) call <see cref="Check"/>.
/// </summary>
public static class InputLimits
{
    /// <summary>A week: longer than any call the app accepts, far below where milliseconds overflow.</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    /// <summary>A broken limit: <see cref="Message"/> as said where it was checked, <see cref="Refusal"/> with its figures apart, for the reader's language later.</summary>
    public sealed record Violation(string Field, string Message, Message Refusal);

    public static bool IsLimit(ValidationAttribute attribute) =>
        attribute is FitsColumnAttribute or RangeAttribute or StringLengthAttribute or MaxLengthAttribute;

    /// <summary>The limits broken by <paramref name="value"/>'s properties, named as a form names them (<c>Pins[0].At</c>).</summary>
    /// <remarks>With <paramref name="text"/>, the messages are in the reader's language; without, English.</remarks>
    public static IReadOnlyList<Violation> Check(object? value, string prefix = "", IStringLocalizer? text = null)
    {
        var violations = new List<Violation>();
        Walk(value, prefix, violations, depth: 0, text);
        return violations;
    }

    /// <summary>Too long or out of range; a text shorter than its StringLength's minimum is the form's to refuse, shown again with the message.</summary>
    private static bool Breaks(ValidationAttribute limit, object value) =>
        limit is StringLengthAttribute length ? value is string text && text.Length > length.MaximumLength : !limit.IsValid(value);

    /// <summary>The limits <paramref name="member"/> (a property or parameter) breaks, named by its form path; its own name said to the reader when there is one.</summary>
    private static IEnumerable<Violation> Check(ICustomAttributeProvider member, string name, object? value, string field, IStringLocalizer? text)
    {
        // Nothing to break, or no limit declared: no attribute is made (reflection makes new ones on every call, on every request).
        if (value is null || !member.IsDefined(typeof(ValidationAttribute), true))
            return [];
        var broken = member.GetCustomAttributes(typeof(ValidationAttribute), true).Cast<ValidationAttribute>()
            .Where(IsLimit).Where(a => Breaks(a, value)).ToList();
        var display = member.GetCustomAttributes(typeof(DisplayAttribute), true).OfType<DisplayAttribute>().FirstOrDefault();
        // Without a reader yet (an upload's metadata), the field's name is a key too, said with the rest later.
        var refusals = broken.Select(a => Refusal(a, new Message(display?.Name ?? Localization.FieldName(name)))).ToList();
        if (text is null || broken.Count == 0)
            return broken.Select((a, i) => new Violation(field, a.FormatErrorMessage(field), refusals[i]));
        var said = Localization.SayField(text, name, display, field);
        return Localized(broken, text).Select((a, i) => new Violation(field, a.FormatErrorMessage(said), refusals[i]));
    }

    /// <summary>The attribute's message as a key with its figures, in the order the attribute places them ({0} the field).</summary>
    private static Message Refusal(ValidationAttribute limit, object field) => new(Localization.MessageKey(limit) ?? limit.ErrorMessage ?? "", limit switch
    {
        FitsColumnAttribute fits => [field, fits.MaxLength],
        RangeAttribute range => [field, range.Minimum, range.Maximum],
        StringLengthAttribute length => [field, length.MaximumLength, length.MinimumLength],
        MaxLengthAttribute max => [field, max.Length],
        _ => [field],
    });

    /// <summary>
    /// The attribute's message in the reader's language: its own, else the built-in one's key (<see cref="Localization.MessageKey"/>),
    /// placed as its own message on this instance (a fresh one from reflection) so that it fills in its own figures.
    /// </summary>
    private static IEnumerable<ValidationAttribute> Localized(IEnumerable<ValidationAttribute> attributes, IStringLocalizer text) =>
        attributes.Select(a =>
        {
            if ((Localization.MessageKey(a) ?? a.ErrorMessage) is { } key && a.ErrorMessageResourceName is null)
                a.ErrorMessage = text[key];
            return a;
        });

    private static void Walk(object? value, string prefix, List<Violation> violations, int depth, IStringLocalizer? text)
    {
        if (value is null || depth > 4 || !IsOurs(value.GetType()))
            return;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
                continue;
            var field = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            var propertyValue = property.GetValue(value);
            violations.AddRange(Check(property, property.Name, propertyValue, field, text));
            if (propertyValue is IEnumerable items and not string)
            {
                var index = 0;
                foreach (var item in items)
                    Walk(item, $"{field}[{index++}]", violations, depth + 1, text);
            }
            else
            {
                Walk(propertyValue, field, violations, depth + 1, text);
            }
        }
    }

    private static bool IsOurs(Type type) => type.Assembly == typeof(InputLimits).Assembly && !type.IsEnum;

    /// <summary>Answers 400 naming each field whose limit the request breaks, before the action runs.</summary>
    public sealed class Filter : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext context)
        {
            if (context.ActionDescriptor.EndpointMetadata.OfType<ShowsLimitsOnItsFormAttribute>().Any())
                return;
            var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Text>>();
            var violations = new List<Violation>();
            foreach (var parameter in context.ActionDescriptor.Parameters.OfType<ControllerParameterDescriptor>())
            {
                if (parameter.BindingInfo?.BindingSource is { } source && (source == BindingSource.Services || source == BindingSource.Special))
                    continue;
                context.ActionArguments.TryGetValue(parameter.Name, out var value);
                violations.AddRange(Check(parameter.ParameterInfo, parameter.Name, value, parameter.Name, text));
                violations.AddRange(InputLimits.Check(value, text: text));
            }
            if (violations.Count == 0)
                return;
            var errors = violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
            context.Result = new BadRequestObjectResult(new ValidationProblemDetails(errors)
            {
                Title = string.Join(" ", violations.Select(v => v.Message)),
                Status = StatusCodes.Status400BadRequest,
            });
        }

        public void OnActionExecuted(ActionExecutedContext context)
        {
        }
    }
}
