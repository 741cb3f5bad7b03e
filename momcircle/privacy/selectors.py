"""Her data across every app, as plain data for the JSON download she can ask for."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext

from groups.models import Membership
from momcircle.circles.models import CircleWish
from momcircle.profiles.models import Profile
from momcircle.profiles.selectors import blocked_by
from momcircle.profiles.words import window_in_words


def _iso(value):
    return value.isoformat() if value else None


def _profile_data(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "first_name": profile.first_name,
        "last_initial": profile.last_initial,
        "zip_code": profile.zip_code,
        "zip_centroid": {"latitude": profile.latitude, "longitude": profile.longitude},
        "time_zone": profile.time_zone,
        "work_pattern": profile.work_pattern,
        "kids_by_age_band": profile.kids,
        "looking_for": profile.looking_for,
        "interests": profile.interests,
        "bio": profile.bio,
        "onboarded_at": _iso(profile.onboarded_at),
        "notification_preferences": {
            "reminder_timing": profile.reminder_timing,
            "reminder_evening_time": profile.reminder_evening_time.strftime("%H:%M"),
            "reminder_hours_before": profile.reminder_hours_before,
            "announcements": profile.announcements,
            "meetup_updates": profile.meetup_updates,
            "conversation_emails": profile.conversation_emails,
            "circle_proposals": profile.circle_proposals,
        },
    }


def _wish_data(wish: CircleWish | None) -> dict | None:
    if wish is None:
        return None
    return {
        "radius_miles": wish.radius_miles,
        "size": wish.size,
        "style": wish.style,
        "match_kids": wish.match_kids,
        "active": wish.active,
        "paused_at": _iso(wish.paused_at),
    }


def account_export(user) -> dict:
    """Everything stored about her, as plain data for a JSON download."""
    profile = Profile.objects.filter(user=user).first()
    memberships = Membership.objects.filter(member=user).select_related("group").order_by("pk")
    return {
        "account": {
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "profile": _profile_data(profile),
        "weekly_availability": [
            {
                "weekday": window.weekday,
                "start_minute": window.start_minute,
                "end_minute": window.end_minute,
                "mode": window.mode,
                "in_words": window_in_words(window.to_weekly()),
            }
            for window in user.availability_windows.order_by("weekday", "start_minute")
        ],
        "memberships": [
            {
                "group": membership.group.name,
                "role": membership.role,
                "status": membership.status,
                "answer": membership.answer,
                "requested_at": _iso(membership.requested_at),
                "joined_at": _iso(membership.joined_at),
            }
            for membership in memberships
        ],
        "meetup_answers": [
            {
                "meetup": rsvp.meetup.title,
                "group": rsvp.meetup.group.name,
                "starts_at": _iso(rsvp.meetup.starts_at),
                "response": rsvp.response,
                "kids": rsvp.kids,
                "waitlist_position": rsvp.waitlist_position,
            }
            for rsvp in user.rsvps.select_related("meetup__group").order_by("meetup__starts_at")
        ],
        "standing_answers": [
            {
                "series": standing.series.title,
                "group": standing.series.group.name,
                "kids": standing.kids,
                "since": _iso(standing.created_at),
            }
            for standing in user.standing_answers.select_related("series__group").order_by("pk")
        ],
        "meetup_messages": [
            {
                "meetup": message.meetup.title,
                "group": message.meetup.group.name,
                "text": message.text,
                "posted_at": _iso(message.created_at),
                "edited_at": _iso(message.edited_at),
                "hidden_by_the_organizers_at": _iso(message.hidden_at),
                "deleted_at": _iso(message.deleted_at),
            }
            for message in user.meetup_messages.select_related("meetup__group").order_by("pk")
        ],
        "muted_meetup_conversations": [
            mute.meetup.title
            for mute in user.conversation_mutes.select_related("meetup").order_by("pk")
        ],
        "circle_wish": _wish_data(CircleWish.objects.filter(member=user).first()),
        "circles_proposed": [
            {
                "proposed_at": _iso(seat.proposal.created_at),
                "answer": seat.answer,
                "answered_at": _iso(seat.answered_at),
            }
            for seat in user.circle_seats.select_related("proposal").order_by("pk")
        ],
        "has_private_calendar_link": hasattr(user, "calendar_feed"),
        "blocked_members": [
            {"member": _display_name(block.blocked), "since": _iso(block.created_at)}
            for block in blocked_by(user)
        ],
        "reports_sent": [
            {
                "about": _report_target(report),
                "reason": report.reason,
                "details": report.details,
                "status": report.status,
                "outcome": report.get_outcome_display(),
                "sent_at": _iso(report.created_at),
            }
            for report in user.reports_made.select_related(
                "reported_user__profile",
                "reported_group",
                "reported_meetup",
                "reported_message__meetup",
            ).order_by("pk")
        ],
    }


def _report_target(report) -> str:
    if report.reported_group_id:
        return report.reported_group.name
    if report.reported_meetup_id:
        return report.reported_meetup.title
    if report.reported_message_id:
        return gettext("A message about %(title)s") % {
            "title": report.reported_message.meetup.title
        }
    return _display_name(report.reported_user)


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else gettext("A member")
