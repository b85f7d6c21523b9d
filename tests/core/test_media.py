import pytest

from tests.factories import make_image

pytestmark = pytest.mark.django_db


def test_uploaded_images_and_renditions_are_served_on_the_embedded_default(client):
    image = make_image()
    rendition = image.get_rendition("fill-120x80|format-webp")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert "max-age" in response["Cache-Control"]


def test_media_paths_cannot_escape_the_media_folder(client):
    for path in ("/media/../secret_key", "/media/%2e%2e/secret_key", "/media/..%2fsecret_key"):
        assert client.get(path).status_code in (400, 404), path
