using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using CallReview.Db;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CallReview.Web.Infrastructure;

/// <summary>Text that must fit a database column: the limit is the column's own (<see cref="ColumnLimits"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FitsColumnAttribute(string table, string column) : ValidationAttribute
{
    public string Table { get; } = table;
    public string Column { get; } = column;
    public int MaxLength => ColumnLimits.MaxLength(Table, Column);

    /// <summary>A text, or each text of a list (tags), no longer than the column.</summary>
    public override bool IsValid(object? value) => value switch
    {
        string text => text.Length <= MaxLength,
        IEnumerable<string?> texts => texts.All(t => t is null || t.Length <= MaxLength),
        _ => true,
    };

    public override string FormatErrorMessage(string name) => $"{name} is too long: at most {MaxLength} characters.";
}

/// <summary>
/// A moment or length in seconds, at most <see cref="InputLimits.MaxSeconds"/> either way, so converting it to
/// milliseconds can never overflow. Where in the call it may lie is the handler's rule, with its own message.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SecondsAttribute() : RangeAttribute(-InputLimits.MaxSeconds, InputLimits.MaxSeconds)
{
    public override string FormatErrorMessage(string name) => $"{name} is out of range: at most {InputLimits.MaxSeconds:0} seconds.";
}

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

    public sealed record Violation(string Field, string Message);

    public static bool IsLimit(ValidationAttribute attribute) =>
        attribute is FitsColumnAttribute or RangeAttribute or StringLengthAttribute or MaxLengthAttribute;

    /// <summary>The limits broken by <paramref name="value"/>'s properties, named as a form names them (<c>Pins[0].At</c>).</summary>
    public static IReadOnlyList<Violation> Check(object? value, string prefix = "")
    {
        var violations = new List<Violation>();
        Walk(value, prefix, violations, depth: 0);
        return violations;
    }

    private static IEnumerable<Violation> Check(IEnumerable<ValidationAttribute> attributes, object? value, string field) =>
        attributes.Where(IsLimit).Where(a => value is not null && !a.IsValid(value))
            .Select(a => new Violation(field, a.FormatErrorMessage(field)));

    private static void Walk(object? value, string prefix, List<Violation> violations, int depth)
    {
        if (value is null || depth > 4 || !IsOurs(value.GetType()))
            return;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
                continue;
            var field = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            var propertyValue = property.GetValue(value);
            violations.AddRange(Check(property.GetCustomAttributes<ValidationAttribute>(), propertyValue, field));
            if (propertyValue is IEnumerable items and not string)
            {
                var index = 0;
                foreach (var item in items)
                    Walk(item, $"{field}[{index++}]", violations, depth + 1);
            }
            else
            {
                Walk(propertyValue, field, violations, depth + 1);
            }
        }
    }

    private static bool IsOurs(Type type) => type.Assembly == typeof(InputLimits).Assembly && !type.IsEnum;

    /// <summary>Answers 400 naming each field whose limit the request breaks, before the action runs.</summary>
    public sealed class Filter : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext context)
        {
            var violations = new List<Violation>();
            foreach (var parameter in context.ActionDescriptor.Parameters.OfType<ControllerParameterDescriptor>())
            {
                if (parameter.BindingInfo?.BindingSource is { } source && (source == BindingSource.Services || source == BindingSource.Special))
                    continue;
                context.ActionArguments.TryGetValue(parameter.Name, out var value);
                violations.AddRange(Check(parameter.ParameterInfo.GetCustomAttributes<ValidationAttribute>(), value, parameter.Name));
                violations.AddRange(InputLimits.Check(value));
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
