def test_the_sign_in_page_answers(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content
