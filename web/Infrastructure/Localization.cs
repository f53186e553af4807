using System.ComponentModel.DataAnnotations;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// ASP.NET Core's localisation wired to the one resource, <see cref="Text"/>: views, DataAnnotations messages and
/// the request's culture (<see cref="Languages"/>), which also formats dates and numbers.
/// </summary>
public static class Localization
{
    public static void AddCallReviewLocalization(this IServiceCollection services, IMvcBuilder mvc, IConfiguration configuration)
    {
        services.AddLocalization();
        mvc.AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(Text)))
            .AddMvcOptions(o => o.ModelMetadataDetailsProviders.Add(new MessageKeys()));
        services.AddSingleton(Languages.Options(configuration["CallReview:Language"] ?? "en"));
    }

    public static void UseCallReviewLocalization(this IApplicationBuilder app) =>
        app.UseRequestLocalization(app.ApplicationServices.GetRequiredService<Microsoft.AspNetCore.Builder.RequestLocalizationOptions>());

    /// <summary>
    /// DataAnnotations localises only messages that are set: give the built-in attributes their English message as
    /// the key, so "required" and "too short" reach the resources too.
    /// </summary>
    private sealed class MessageKeys : IValidationMetadataProvider
    {
        public void CreateValidationMetadata(ValidationMetadataProviderContext context)
        {
            foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            {
                if (attribute.ErrorMessage is not null || attribute.ErrorMessageResourceName is not null)
                    continue;
                var key = attribute switch
                {
                    RequiredAttribute => "The {0} field is required.",
                    EmailAddressAttribute => "The {0} field is not a valid e-mail address.",
                    StringLengthAttribute { MinimumLength: > 0 } => "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.",
                    MinLengthAttribute => "The field {0} must be at least {1} characters long.",
                    _ => null,
                };
                // Assigning null would count as a message set, and break the attribute's own.
                if (key is not null)
                    attribute.ErrorMessage = key;
            }
        }
    }
}
