// ratings: progressive enhancement of forms that work without JavaScript.
