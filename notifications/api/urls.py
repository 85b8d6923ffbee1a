from rest_framework.routers import DefaultRouter

from notifications.api import views

router = DefaultRouter(trailing_slash=True)
router.register("notifications", views.NotificationViewSet, basename="notification")
urlpatterns = router.urls
