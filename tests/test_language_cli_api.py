"""Messages a user meets on the command line and in API errors are Swedish, and English when asked for."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from samhandling import cli


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "--from: första året får inte vara senare än --to."),
        ("en", "--from: the first year may not be later than --to."),
    ],
)
def test_command_errors_are_translated(language, message):
    with translation.override(language), pytest.raises(CommandError) as exc:
        call_command("report", "portfolio", "--from", "2025", "--to", "2021", "--output", "x.pdf")
    assert str(exc.value) == message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("sv", "Det finns inget sammanträde 1/2099."), ("en", "There is no meeting 1/2099.")],
)
def test_command_errors_with_values_are_translated(language, message):
    with translation.override(language), pytest.raises(CommandError, match=message):
        call_command("minutes", "render", "1/2099")


@pytest.mark.parametrize(
    ("environment", "message"),
    [({}, "Ange --input och --output"), ({"SAMHANDLING_LANGUAGE": "en"}, "Give --input and --output")],
)
def test_the_cli_speaks_english_when_asked(monkeypatch, capsys, environment, message):
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit):
        cli.main(["samhandling", "classify"])
    assert message in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "swedish", "english"),
    [
        ("/api/v1/calls/999999", 404, "Det efterfrågade finns inte.", "What you asked for does not exist."),
        ("/api/v1/applications", 401, "Logga in för att använda", "Sign in to use this part of the API."),
        ("/api/v1/projects/999999", 404, "Projektet finns inte i projektbanken.", "The project is not in the project"),
        ("/api/v1/projects?page=x", 400, "Ogiltig parameter page", "Invalid parameter page"),
    ],
)
def test_api_refusals_are_translated(client, url, status, swedish, english):
    for language, expected in (("sv", swedish), ("en", english)):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == status
        assert expected in response.json()["detail"], (language, response.json())


@pytest.mark.django_db
def test_api_validation_errors_name_the_field_in_the_language_asked_for(client):
    response = client.get("/api/v1/calls/abc")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["path", "call_id"] and error["msg"] == "Ange ett heltal."
    response = client.get("/api/v1/organisations", {"page": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    errors = response.json()["detail"]
    assert response.status_code == 422 and errors[0]["loc"][-1] == "page", errors
    assert errors[0]["msg"] == "The value must be at least 1.", errors


def _ours():
    from django.core.management import get_commands

    return sorted(name for name, app in get_commands().items() if app.startswith("samhandling."))


@pytest.mark.parametrize("name", _ours())
def test_every_command_help_is_swedish_and_english_when_asked(monkeypatch, capsys, name):
    """`samhandling NAME --help`: the command's description and its options' help, in English with
    SAMHANDLING_LANGUAGE=en."""
    from django.core.management import get_commands, load_command_class

    outputs = {}
    for language in ("sv", "en"):
        monkeypatch.setenv("SAMHANDLING_LANGUAGE", language)
        with pytest.raises(SystemExit):
            cli.main(["samhandling", name, "--help"])
        outputs[language] = "".join(capsys.readouterr().out.split())  # argparse wraps lines (also at hyphens)
    command = load_command_class(get_commands()[name], name)
    for language, output in outputs.items():
        with translation.override(language):
            description = "".join(str(command.help).split())
            actions = command.create_parser("samhandling", name)._actions
            helps = ["".join(str(a.help).split()) for a in actions if a.help]
        assert description in output, (language, description)
        assert all(text in output for text in helps if text and "%" not in text), language
    with translation.override("en"):
        english = str(command.help)
    with translation.override("sv"):
        assert str(command.help) != english, "no English translation of the description"
    assert outputs["sv"] != outputs["en"]


def test_option_help_follows_the_language(monkeypatch, capsys):
    monkeypatch.setenv("SAMHANDLING_LANGUAGE", "en")
    with pytest.raises(SystemExit):
        cli.main(["samhandling", "backup", "--help"])
    assert "Overwrite PATH if the file already exists." in " ".join(capsys.readouterr().out.split())
