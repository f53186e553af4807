using CallReview.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddCallReview();
var app = builder.Build();
app.UseCallReview();
return await app.RunCallReviewAsync(args);

public partial class Program;
