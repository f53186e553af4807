using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// Views live beside their controller in <c>Features/{Feature}/</c>; the feature is the namespace segment
/// after "Features", so a feature keeps one name whatever its controllers are called.
/// </summary>
public sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    private const string FeatureKey = "feature";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (context.ActionContext.ActionDescriptor is ControllerActionDescriptor action)
            context.Values[FeatureKey] = FeatureOf(action.ControllerTypeInfo);
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        if (context.Values.TryGetValue(FeatureKey, out var feature) && feature is not null)
            yield return $"/Features/{feature}/{{0}}.cshtml";
        yield return "/Features/Shared/{0}.cshtml";
    }

    private static string? FeatureOf(Type controller)
    {
        var parts = controller.Namespace?.Split('.') ?? [];
        var index = Array.IndexOf(parts, "Features");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : null;
    }
}
