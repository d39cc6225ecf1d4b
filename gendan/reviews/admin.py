from django.contrib import admin

from gendan.reviews.models import OrderTypeReview, ReviewDeadline


@admin.register(OrderTypeReview)
class OrderTypeReviewAdmin(admin.ModelAdmin):
    list_display = ["order_type"]
    filter_horizontal = ["departments"]


@admin.register(ReviewDeadline)
class ReviewDeadlineAdmin(admin.ModelAdmin):
    list_display = ["department", "working_days"]
